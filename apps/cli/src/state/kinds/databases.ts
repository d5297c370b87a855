// Databases: `database/<server file name>--<name>.yaml`, with the options they were made with
// (charset/collation on MariaDB, encoding/locale/owner on PostgreSQL). The panel has no change
// of a database: every field is fixed. Apply makes it on its server (the panel runs the
// action there); --prune drops it, data and all.
import { type DatabaseFile, labelFileName, onServer } from "@steward/contracts/state";
import type { Api } from "../api.ts";
import { addLabelled, asFileFields, idOf, idsOf, type KindOps, type Refs } from "../kind.ts";
import { databaseServers } from "./database-servers.ts";

interface Database {
  id: string;
  server: string;
  engine: DatabaseFile["engine"];
  name: string;
  options: Record<string, string>;
}

export const databases: KindOps<"database"> = {
  kind: "database",
  fixed: ["server", "engine", "name", "options"],
  refers: () => [],
  names: (f) => [{ field: "server", kind: "database-server", name: f.server }],
  async read(api: Api) {
    const out = new Map<string, { id: string; file: DatabaseFile }>();
    for (const d of await api.all<Database>("/api/v1/databases")) {
      const file = {
        server: labelFileName(d.server),
        engine: d.engine,
        name: d.name,
        options: d.options,
      } as DatabaseFile;
      addLabelled(out, "database", onServer(file), { id: d.id, file });
    }
    return out;
  },
  async create(api: Api, refs: Refs, file) {
    const servers = await idsOf(databaseServers, api, refs);
    const body = {
      serverId: idOf(servers, "server", file.server, "database server"),
      name: file.name,
      ...file.options,
    };
    await asFileFields(
      [
        [/^serverId$/, "server"],
        [/^(charset|collation|encoding|locale|owner)$/, "options.$1"],
      ],
      () => api.send("POST", "/api/v1/databases", body),
    );
  },
  async remove(api, current) {
    const confirm = encodeURIComponent(current.file.name);
    await api.send("DELETE", `/api/v1/databases/${current.id}?confirm=${confirm}`);
  },
};
