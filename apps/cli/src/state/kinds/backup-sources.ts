// Backup sources: `backup-source/<account>--<name>.yaml`. What a source reads is named, never
// an id: a node by name, a database by its file's name (`main-mariadb--shop_app`), a database
// server by its file's name; a MongoDB URI (it holds a password) is the secret
// `backup-source/<file>/uri` a new source takes from `--secrets FILE`. The panel has no change
// of a source: every field is fixed. Created with saveAnyway (kept though its check fails, as
// the console shows), like destinations.
import { type BackupSourceFile, scopedFileName, sourceSecret } from "@steward/contracts/state";
import type { Api } from "../api.ts";
import {
  addLabelled,
  asFileFields,
  idOf,
  idsOf,
  type KindOps,
  type Named,
  nameOf,
  namesOf,
  type Reference,
  type Refs,
  type Secrets,
} from "../kind.ts";
import { databaseServers } from "./database-servers.ts";
import { databases } from "./databases.ts";

interface Source {
  id: string;
  accountId: string;
  name: string;
  kind: BackupSourceFile["source"]["kind"];
  nodeId: string | null;
  databaseId: string | null;
  serverId: string | null;
  settings: Record<string, unknown>;
}

/** What the file says the source reads, from the panel's source. */
async function specOf(api: Api, refs: Refs, s: Source, fileName: string) {
  const node = nameOf(refs.nodes, s.nodeId ?? "");
  const { settings } = s;
  switch (s.kind) {
    case "files":
      return { kind: s.kind, node, path: settings.path, excludes: settings.excludes };
    case "database": {
      const names = await namesOf(databases, api, refs);
      return { kind: s.kind, database: names.get(s.databaseId ?? "") ?? s.databaseId };
    }
    case "server": {
      const names = await namesOf(databaseServers, api, refs);
      return { kind: s.kind, server: names.get(s.serverId ?? "") ?? s.serverId };
    }
    case "mongodb":
      return {
        kind: s.kind,
        node,
        uri: { secret: sourceSecret(fileName, "uri") },
        database: settings.database ?? null,
      };
    default:
      return { kind: s.kind };
  }
}

/** The source as the API takes it: ids for names, the URI from the secrets. */
async function inputOf(api: Api, refs: Refs, f: BackupSourceFile, secrets: Secrets) {
  const s = f.source;
  const node = (n: string) => idOf(refs.nodes, "source.node", n, "node");
  switch (s.kind) {
    case "files":
      return { kind: s.kind, nodeId: node(s.node), path: s.path, excludes: s.excludes };
    case "database": {
      const ids = await idsOf(databases, api, refs);
      return { kind: s.kind, databaseId: idOf(ids, "source.database", s.database, "database") };
    }
    case "server": {
      const ids = await idsOf(databaseServers, api, refs);
      return {
        kind: s.kind,
        serverId: idOf(ids, "source.server", s.server, "database server"),
      };
    }
    case "mongodb":
      return {
        kind: s.kind,
        nodeId: node(s.node),
        uri: secrets.get(s.uri.secret),
        database: s.database,
      };
    default:
      return { kind: s.kind };
  }
}

export const backupSources: KindOps<"backup-source"> = {
  kind: "backup-source",
  fixed: ["name", "account", "source"],
  refers: (f) => {
    const out: Reference[] = [{ field: "account", to: "account", name: f.account }];
    if (f.source.kind === "files" || f.source.kind === "mongodb")
      out.push({ field: "source.node", to: "node", name: f.source.node });
    return out;
  },
  names: (f): Named[] =>
    f.source.kind === "database"
      ? [{ field: "source.database", kind: "database", name: f.source.database }]
      : f.source.kind === "server"
        ? [{ field: "source.server", kind: "database-server", name: f.source.server }]
        : [],
  secrets: (f) =>
    f.source.kind === "mongodb" ? [{ field: "source.uri", name: f.source.uri.secret }] : [],
  async read(api: Api, refs: Refs) {
    const out = new Map<string, { id: string; file: BackupSourceFile }>();
    for (const s of await api.all<Source>("/api/v1/backup-sources")) {
      const account = nameOf(refs.accounts, s.accountId);
      const fileName = scopedFileName({ account, name: s.name });
      const source = (await specOf(api, refs, s, fileName)) as BackupSourceFile["source"];
      addLabelled(out, "backup-source", fileName, {
        id: s.id,
        file: { name: s.name, account, source },
      });
    }
    return out;
  },
  async create(api, refs, file, secrets) {
    const body = {
      name: file.name,
      accountId: idOf(refs.accounts, "account", file.account, "account"),
      source: await inputOf(api, refs, file, secrets),
      saveAnyway: true,
    };
    await asFileFields(
      [
        [/^accountId$/, "account"],
        [/^(source\.\w+)Id$/, "$1"],
      ],
      () => api.send("POST", "/api/v1/backup-sources", body),
    );
  },
  async remove(api, current) {
    await api.send("DELETE", `/api/v1/backup-sources/${current.id}`);
  },
};
