// A MongoDB database (or a whole deployment) as a backup source: `mongodump --archive` to
// stdout. The URI (and the password in it) goes through mongodump's `--config` YAML file
// (0600 in a private directory, removed after), never argv, as MongoDB's documentation
// recommends. No MongoDB server or tools are installable here: the argv, the config file,
// the redaction and the stream are tested with a fake mongodump (docs/backups.md).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BackupSourceSpec } from "@steward/contracts/backups";
import { EXEC_PATH } from "../../system/exec.ts";
import { type ToolOptions, toolVersion } from "./db-tools.ts";
import type { OpenedSource } from "./sources.ts";
import { toolEnv, toolSource } from "./tool-process.ts";

type MongoSpec = Extract<BackupSourceSpec, { kind: "mongodb" }>;

/** mongodump's argv: the archive to stdout, the URI in the config file, the database. */
export const mongodumpArgs = (configFile: string, database: string | null) => [
  "--archive",
  `--config=${configFile}`,
  ...(database === null ? [] : [`--db=${database}`]),
];

/** The password inside a mongodb:// URI (what no message may repeat). */
export function uriSecrets(uri: string): string[] {
  try {
    const password = new URL(uri).password;
    return password ? [password, decodeURIComponent(password)] : [];
  } catch {
    return [uri];
  }
}

export async function mongodbSource(
  spec: MongoSpec,
  nodeId: string | null,
  o: ToolOptions = {},
): Promise<OpenedSource> {
  const dir = await mkdtemp(join(tmpdir(), "steward-mongodump-"));
  const remove = () => rm(dir, { recursive: true, force: true });
  const config = join(dir, "mongodump.yaml");
  // a JSON string is a YAML double-quoted scalar
  await writeFile(config, `uri: ${JSON.stringify(spec.uri)}\n`, { mode: 0o600 });
  const producer = await toolVersion("mongodump", o.path);
  const { stream } = toolSource(
    "mongodump",
    mongodumpArgs(config, spec.database),
    toolEnv({}, o.path ?? EXEC_PATH),
    { tool: "mongodump", accepted: [0], secrets: uriSecrets(spec.uri), cleanup: remove },
  );
  return {
    stream,
    info: { kind: "mongodb", nodeId, description: spec.database ?? "all databases", producer },
    warnings: () => [],
  };
}
