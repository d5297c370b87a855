// Database users: `database-user/<server file name>--<name>.yaml`, with their hosts (MariaDB),
// connection limit and grants (databases of their server by name, each with its level). The
// password is never exported: a new user takes it from `--secrets FILE`
// (`database-user/<server>--<name>`); an existing one keeps its own (rotate it with the API
// or the console). Grants change in place: what goes or changes level is revoked, then what
// comes or changed is granted; every other field is fixed.
import {
  type DatabaseUserFile,
  databaseUserSecret,
  labelFileName,
  onServer,
  sortedGrants,
} from "@steward/contracts/state";
import type { Api } from "../api.ts";
import { addLabelled, asFileFields, idOf, idsOf, type KindOps, type Refs } from "../kind.ts";
import { databaseServers } from "./database-servers.ts";
import { databases } from "./databases.ts";

interface User {
  id: string;
  server: string;
  engine: DatabaseUserFile["engine"];
  name: string;
  hosts: string[];
  connectionLimit: number | null;
  grants: { database: string; level: DatabaseUserFile["grants"][number]["level"] }[];
}

type Grant = DatabaseUserFile["grants"][number];
const same = (a: Grant, b: Grant) => JSON.stringify(a.level) === JSON.stringify(b.level);

/** The grants with their databases' ids on the user's server. */
async function withIds(api: Api, refs: Refs, file: DatabaseUserFile, grants: Grant[]) {
  const ids = await idsOf(databases, api, refs);
  return grants.map((g) => ({
    databaseId: idOf(
      ids,
      `grants.${file.grants.indexOf(g)}.database`,
      onServer({ server: file.server, name: g.database }),
      "database",
    ),
    level: g.level,
  }));
}

/** The file's fields where the panel names the API's. */
const renames: [RegExp, string][] = [
  [/^serverId$/, "server"],
  [/^(grants\.\d+)\.databaseId$/, "$1.database"],
];

export const databaseUsers: KindOps<"database-user"> = {
  kind: "database-user",
  fixed: ["server", "engine", "name", "hosts", "connectionLimit", "password"],
  refers: () => [],
  names: (f) => [
    { field: "server", kind: "database-server", name: f.server },
    ...f.grants.map((g, i) => ({
      field: `grants.${i}.database`,
      kind: "database" as const,
      name: onServer({ server: f.server, name: g.database }),
    })),
  ],
  secrets: (f) => [{ field: "password", name: f.password.secret }],
  async read(api: Api) {
    const out = new Map<string, { id: string; file: DatabaseUserFile }>();
    for (const u of await api.all<User>("/api/v1/database-users")) {
      const server = labelFileName(u.server);
      const file: DatabaseUserFile = {
        server,
        engine: u.engine,
        name: u.name,
        ...(u.engine === "mariadb" ? { hosts: u.hosts } : {}),
        connectionLimit: u.connectionLimit,
        grants: sortedGrants(u.grants.map((g) => ({ database: g.database, level: g.level }))),
        password: { secret: databaseUserSecret({ server, name: u.name }) },
      };
      addLabelled(out, "database-user", onServer(file), { id: u.id, file });
    }
    return out;
  },
  async create(api, refs, file, secrets) {
    const servers = await idsOf(databaseServers, api, refs);
    const body = {
      serverId: idOf(servers, "server", file.server, "database server"),
      name: file.name,
      ...(file.hosts ? { hosts: file.hosts } : {}),
      connectionLimit: file.connectionLimit,
      grants: await withIds(api, refs, file, file.grants),
      password: secrets.get(file.password.secret),
    };
    await asFileFields(renames, () => api.send("POST", "/api/v1/database-users", body));
  },
  async update(api, refs, current, file) {
    const had = current.file.grants;
    const gone = had.filter(
      (g) => !file.grants.some((n) => n.database === g.database && same(g, n)),
    );
    const come = file.grants.filter(
      (n) => !had.some((g) => g.database === n.database && same(g, n)),
    );
    const base = `/api/v1/database-users/${current.id}`;
    if (gone.length) {
      const ids = await idsOf(databases, api, refs);
      const databaseIds = gone.map((g) =>
        idOf(ids, "grants", onServer({ server: file.server, name: g.database }), "database"),
      );
      await api.send("POST", `${base}/revoke`, { databaseIds });
    }
    if (come.length)
      await api.send("POST", `${base}/grants`, { grants: await withIds(api, refs, file, come) });
  },
  async remove(api, current) {
    const confirm = encodeURIComponent(current.file.name);
    await api.send("DELETE", `/api/v1/database-users/${current.id}?confirm=${confirm}`);
  },
};
