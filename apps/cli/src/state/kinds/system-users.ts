// System users: `system-user/<node>--<name>.yaml` (a name is unique on its node) with the
// account, main or secondary (and its home), shell access, FTP and public keys. A password is
// never exported (the panel answers only whether one is set): the file names the secret a new
// user's password is taken from (`--secrets FILE`); an existing user keeps the one it has, and
// setting or removing one is not done in place (`password` is fixed). Pruning deletes the user
// on its node but never its files (`deleteFiles` stays false).
import type { SysUser } from "@steward/contracts/hosting";
import { type SystemUserFile, systemUserName, systemUserSecret } from "@steward/contracts/state";
import type { Api } from "../api.ts";
import { idOf, type KindOps, nameOf, type Refs } from "../kind.ts";

/** Every system user of the accounts the caller sees, but those being deleted. */
export async function listSystemUsers(api: Api, accounts: Iterable<string>) {
  const out: SysUser[] = [];
  for (const id of accounts)
    for (const u of (await api.get<{ items: SysUser[] }>(`/api/v1/system-users?account=${id}`))
      .items)
      if (u.status !== "deleting") out.push(u);
  return out;
}

/** System users by file name (`web-1--shop`), for what names them (a crontab's user). */
export async function systemUserRefs(
  api: Api,
  accounts: { id: string }[],
  nodes: { id: string; name: string }[],
) {
  const nodeNames = new Map(nodes.map((n) => [n.id, n.name]));
  const users = await listSystemUsers(
    api,
    accounts.map((a) => a.id),
  );
  return new Map(
    users.map((u) => [
      systemUserName({ node: nodeNames.get(u.nodeId) ?? u.nodeId, name: u.name }),
      u.id,
    ]),
  );
}

export const systemUsers: KindOps<"system-user"> = {
  kind: "system-user",
  fixed: ["kind", "name", "account", "node", "home", "password"],
  // a secondary user needs its account's main user on the node
  rank: (f) => (f.kind === "main" ? 0 : 1),
  refers: (f) => [
    { field: "account", to: "account", name: f.account },
    { field: "node", to: "node", name: f.node },
  ],
  secrets: (f) => (f.password ? [{ field: "password", name: f.password.secret }] : []),
  async read(api: Api, refs: Refs) {
    const out = new Map<string, { id: string; file: SystemUserFile }>();
    for (const u of await listSystemUsers(api, refs.accounts.values())) {
      const node = nameOf(refs.nodes, u.nodeId);
      const name = systemUserName({ node, name: u.name });
      const common = {
        name: u.name,
        account: nameOf(refs.accounts, u.accountId),
        node,
        shell: u.shell,
        ftp: u.ftp,
        keys: u.keys.map((k) => k.line),
        ...(u.hasPassword ? { password: { secret: systemUserSecret(name) } } : {}),
        ...(u.quotaMb ? { quotaMb: u.quotaMb } : {}),
      };
      const file: SystemUserFile =
        u.kind === "main"
          ? { kind: "main", ...common }
          : { kind: "secondary", home: u.home, ...common };
      out.set(name, { id: u.id, file });
    }
    return out;
  },
  async create(api, refs, file, secrets) {
    await api.send("POST", "/api/v1/system-users", {
      kind: file.kind,
      account: idOf(refs.accounts, "account", file.account, "account"),
      node: idOf(refs.nodes, "node", file.node, "node"),
      name: file.name,
      ...(file.kind === "secondary" ? { home: file.home } : {}),
      shell: file.shell,
      ftp: file.ftp,
      keys: file.keys,
      ...(file.password ? { password: secrets.get(file.password.secret) } : {}),
      ...(file.quotaMb ? { quotaMb: file.quotaMb } : {}),
    });
  },
  async update(api, _refs, current, file) {
    await api.send("PATCH", `/api/v1/system-users/${current.id}`, {
      shell: file.shell,
      ftp: file.ftp,
      keys: file.keys,
      quotaMb: file.quotaMb ?? 0,
    });
  },
  async remove(api, current) {
    const confirm = encodeURIComponent(current.file.name);
    await api.send("DELETE", `/api/v1/system-users/${current.id}?confirm=${confirm}`);
  },
};
