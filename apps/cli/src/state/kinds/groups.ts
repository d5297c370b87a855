// Groups: `group/<name>.yaml`; the built-in groups are the panel's own and not written.
import type { Api } from "../api.ts";
import type { KindOps } from "../kind.ts";

interface Group {
  id: string;
  name: string;
  description: string;
  builtin: boolean;
}

export const groups: KindOps<"group"> = {
  kind: "group",
  fixed: ["name"],
  refers: () => [],
  async read(api: Api) {
    const items = await api.all<Group>("/api/v1/groups");
    return new Map(
      items
        .filter((g) => !g.builtin)
        .map((g) => [g.name, { id: g.id, file: { name: g.name, description: g.description } }]),
    );
  },
  async create(api, _refs, file) {
    await api.send("POST", "/api/v1/groups", file);
  },
  async update(api, _refs, current, file) {
    await api.send("PATCH", `/api/v1/groups/${current.id}`, { description: file.description });
  },
  async remove(api, current) {
    await api.send("DELETE", `/api/v1/groups/${current.id}`);
  },
};
