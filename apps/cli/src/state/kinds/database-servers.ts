// Database servers: `database-server/<name>.yaml` (the name in lowercase letters, digits and
// `-`), on a node or external. An external server's admin password and CA are secrets a new
// server takes from `--secrets FILE`; apply keeps a server whose connection test fails
// (saveAnyway: the state says it exists; the console shows the test). Its databases and
// users are not files yet (docs/install.md).
import {
  type DatabaseServerFile,
  databaseServerSecret,
  labelFileName,
} from "@steward/contracts/state";
import type { Api } from "../api.ts";
import { addLabelled, idOf, type KindOps, nameOf, type Reference, type Refs } from "../kind.ts";

interface Server {
  id: string;
  accountId: string | null;
  name: string;
  engine: "mariadb" | "postgres";
  placement: "on-node" | "external";
  nodeId: string | null;
  host: string | null;
  port: number | null;
  adminUser: string | null;
  tls: { mode: "disable" | "require" | "verify-full"; ca: boolean };
  viaNodeId: string | null;
}

function fileOf(s: Server, refs: Refs): DatabaseServerFile {
  const common = {
    name: s.name,
    engine: s.engine,
    account: s.accountId === null ? null : nameOf(refs.accounts, s.accountId),
  };
  if (s.placement === "on-node")
    return { ...common, placement: "on-node", node: nameOf(refs.nodes, s.nodeId ?? "") };
  return {
    ...common,
    placement: "external",
    host: s.host ?? "",
    port: s.port ?? 0,
    adminUser: s.adminUser ?? "",
    adminPassword: { secret: databaseServerSecret(s.name, "admin-password") },
    tls: s.tls.mode,
    ca: s.tls.ca ? { secret: databaseServerSecret(s.name, "ca") } : null,
    via: s.viaNodeId === null ? null : nameOf(refs.nodes, s.viaNodeId),
  };
}

const accountId = (refs: Refs, f: DatabaseServerFile) =>
  f.account === null ? null : idOf(refs.accounts, "account", f.account, "account");

export const databaseServers: KindOps<"database-server"> = {
  kind: "database-server",
  fixed: ["engine", "placement", "account", "node", "adminPassword", "ca", "via"],
  refers: (f) => {
    const out: Reference[] = [];
    if (f.account !== null) out.push({ field: "account", to: "account", name: f.account });
    if (f.placement === "on-node") out.push({ field: "node", to: "node", name: f.node });
    else if (f.via !== null) out.push({ field: "via", to: "node", name: f.via });
    return out;
  },
  secrets: (f) =>
    f.placement === "on-node"
      ? []
      : [
          { field: "adminPassword", name: f.adminPassword.secret },
          ...(f.ca ? [{ field: "ca", name: f.ca.secret }] : []),
        ],
  async read(api: Api, refs: Refs) {
    const out = new Map<string, { id: string; file: DatabaseServerFile }>();
    for (const s of await api.all<Server>("/api/v1/database-servers")) {
      addLabelled(out, "database-server", labelFileName(s.name), {
        id: s.id,
        file: fileOf(s, refs),
      });
    }
    return out;
  },
  async create(api, refs, file, secrets) {
    const common = {
      name: file.name,
      engine: file.engine,
      accountId: accountId(refs, file),
      saveAnyway: true,
    };
    await api.send(
      "POST",
      "/api/v1/database-servers",
      file.placement === "on-node"
        ? { ...common, placement: "on-node", nodeId: idOf(refs.nodes, "node", file.node, "node") }
        : {
            ...common,
            placement: "external",
            host: file.host,
            port: file.port,
            adminUser: file.adminUser,
            adminPassword: secrets.get(file.adminPassword.secret),
            tls: { mode: file.tls, ca: file.ca ? (secrets.get(file.ca.secret) ?? null) : null },
            viaNodeId: file.via === null ? null : idOf(refs.nodes, "via", file.via, "node"),
          },
    );
  },
  async update(api, _refs, current, file) {
    const changed =
      file.placement === "external" && current.file.placement === "external"
        ? { host: file.host, port: file.port, adminUser: file.adminUser, tls: { mode: file.tls } }
        : {};
    await api.send("PATCH", `/api/v1/database-servers/${current.id}`, {
      name: file.name,
      ...changed,
      saveAnyway: true,
    });
  },
  async remove(api, current) {
    const confirm = encodeURIComponent(current.file.name);
    await api.send("DELETE", `/api/v1/database-servers/${current.id}?confirm=${confirm}`);
  },
};
