// A PostgreSQL database as a backup source: `pg_dump --format=custom` (uncompressed: the
// pipeline compresses) in a snapshot exported by a REPEATABLE READ transaction this agent
// holds, inside which every table's rows are counted while pg_dump reads: the counts are
// exactly what the dump holds. The transaction ends when the dump and the counts have.
import type { ArtifactSource, BackupSourceSpec } from "@steward/contracts/backups";
import type { ServerAccess } from "../databases/manage.ts";
import { connectPostgres } from "../databases/session.ts";
import { postgresLogin, toolVersion } from "./db-tools.ts";
import { countRows } from "./row-counts.ts";
import type { OpenedSource } from "./sources.ts";
import { type DumpOptions, dumpToolSource } from "./tool-compressed.ts";
import { redact } from "./tool-process.ts";

type DatabaseSpec = Extract<BackupSourceSpec, { kind: "database" }>;

export async function postgresSource(
  spec: DatabaseSpec,
  access: ServerAccess,
  nodeId: string | null,
  o: DumpOptions = {},
): Promise<OpenedSource> {
  const secrets = access.credentials.password ? [access.credentials.password] : [];
  // asked beside the connection and the snapshot (it never fails: the tool's name stands in)
  const producing = toolVersion("pg_dump", o.path);
  const client = await connectPostgres(access.admin, {
    ...access.credentials,
    database: spec.database,
  }).catch((error: Error) => {
    throw new Error(`PostgreSQL refused the dump's connection: ${redact(error.message, secrets)}`);
  });
  const end = () => client.end().catch(() => undefined);
  let snapshot: string;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const [row] = (await client.query<{ id: string }>("SELECT pg_export_snapshot() AS id")).rows;
    snapshot = row?.id ?? "";
    // the counts run beside the dump on the same cores: one process each, not a gather of
    // parallel workers (a third more CPU for the same count; bench/README.md, bench:backups)
    await client.query("SET LOCAL max_parallel_workers_per_gather = 0");
  } catch (error) {
    await end();
    throw new Error(`exporting a snapshot failed: ${redact((error as Error).message, secrets)}`);
  }
  const closing = async (error: unknown) => {
    await end();
    throw error;
  };
  const producer = await producing;
  const login = await postgresLogin(access, o).catch(closing);
  const info: ArtifactSource = { kind: "postgres", nodeId, description: spec.database, producer };
  // the rows are counted in the exported snapshot while pg_dump reads it (the dump does not
  // wait for the counts); the stream ends only once both are done, and fails if counting did
  let failed: Error | null = null;
  const counting = countRows(
    {
      engine: "postgres",
      query: async (sql, params) => (await client.query(sql, params)).rows,
      close: end,
    },
    spec.database,
  ).then(
    (counts) => {
      info.rowCounts = counts;
    },
    (error: Error) => {
      failed = new Error(`counting rows failed: ${redact(error.message, secrets)}`);
    },
  );
  const { stream, compressed } = dumpToolSource(
    "pg_dump",
    [
      "--format=custom",
      "--compress=0",
      `--snapshot=${snapshot}`,
      ...login.args,
      `--dbname=${spec.database}`,
    ],
    login.env,
    {
      tool: "pg_dump",
      accepted: [0],
      secrets: login.secrets,
      failure: () => failed,
      // the snapshot must live until pg_dump has imported it and the counts are done: the
      // transaction ends with both
      cleanup: () =>
        Promise.all([login.remove(), counting.then(() => client.query("COMMIT")).finally(end)]),
    },
    o,
  );
  return { stream, info, warnings: () => [], compressed };
}
