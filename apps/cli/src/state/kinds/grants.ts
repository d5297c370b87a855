// Grants on the whole installation or on one account, held by a group (by name) or a user
// (by email: users are referenced, not made). Grants on one resource are not written.
import { type GrantFile, grantName } from "@steward/contracts/state";
import type { Api } from "../api.ts";
import { idOf, type KindOps, nameOf, type Refs } from "../kind.ts";

interface Grant {
  id: string;
  principalType: "user" | "group";
  principalId: string;
  principalName: string;
  scopeType: "global" | "account" | "resource";
  scopeId: string | null;
  role: GrantFile["role"] | "none";
}

function body(refs: Refs, file: GrantFile, role: GrantFile["role"] | "none") {
  const principal =
    "group" in file.principal
      ? {
          principalType: "group",
          principalId: idOf(refs.groups, "principal.group", file.principal.group, "group"),
        }
      : {
          principalType: "user",
          principalId: idOf(refs.users, "principal.user", file.principal.user, "user"),
        };
  const scope =
    file.scope === "global"
      ? { scopeType: "global" }
      : {
          scopeType: "account",
          scopeId: idOf(refs.accounts, "scope.account", file.scope.account, "account"),
        };
  return { ...principal, ...scope, role };
}

export const grants: KindOps<"grant"> = {
  kind: "grant",
  fixed: ["principal", "scope"],
  refers: (f) => [
    "group" in f.principal
      ? { field: "principal.group", to: "group", name: f.principal.group }
      : { field: "principal.user", to: "user", name: f.principal.user },
    ...(f.scope === "global"
      ? []
      : [{ field: "scope.account", to: "account" as const, name: f.scope.account }]),
  ],
  async read(api: Api, refs: Refs) {
    const items = await api.all<Grant>("/api/v1/grants");
    const out = new Map<string, { id: string; file: GrantFile }>();
    for (const g of items) {
      if (g.scopeType === "resource" || g.role === "none") continue;
      const file: GrantFile = {
        principal:
          g.principalType === "group"
            ? { group: nameOf(refs.groups, g.principalId) }
            : { user: g.principalName },
        scope:
          g.scopeType === "global" ? "global" : { account: nameOf(refs.accounts, g.scopeId ?? "") },
        role: g.role,
      };
      out.set(grantName(file), { id: g.id, file });
    }
    return out;
  },
  async create(api, refs, file) {
    await api.send("POST", "/api/v1/grants", body(refs, file, file.role));
  },
  async update(api, refs, _current, file) {
    await api.send("POST", "/api/v1/grants", body(refs, file, file.role));
  },
  async remove(api, current) {
    await api.send("DELETE", `/api/v1/grants/${current.id}`);
  },
};
