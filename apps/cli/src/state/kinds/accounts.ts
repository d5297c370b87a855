// Accounts (tenants): `account/<slug>.yaml` with the slug and the name.
import type { Api } from "../api.ts";
import type { KindOps } from "../kind.ts";

interface Account {
  id: string;
  slug: string;
  name: string;
}

export const accounts: KindOps<"account"> = {
  kind: "account",
  fixed: ["slug"],
  refers: () => [],
  async read(api: Api) {
    const items = await api.all<Account>("/api/v1/accounts");
    return new Map(items.map((a) => [a.slug, { id: a.id, file: { slug: a.slug, name: a.name } }]));
  },
  async create(api, _refs, file) {
    await api.send("POST", "/api/v1/accounts", file);
  },
  async update(api, _refs, current, file) {
    await api.send("PATCH", `/api/v1/accounts/${current.id}`, { name: file.name });
  },
  async remove(api, current) {
    await api.send("DELETE", `/api/v1/accounts/${current.id}`);
  },
};
