// A MongoDB archive (mongodump --archive) into a deployment: `mongorestore --archive` reading
// the plain archive on stdin, the URI (and the password in it) in mongorestore's `--config`
// YAML file (0600 in a private directory, removed after), never argv, as for mongodump
// (source-mongodb.ts). The archive's one database may be restored under another name
// (`--nsFrom`/`--nsTo`; the names passed the shared MongoDB name validator, so they hold no
// pattern character), `--drop` replaces the collections it holds, and a dry run is
// mongorestore's own `--dryRun` (the archive read whole and checked, nothing written). No
// MongoDB is installable here: tested with a fake mongorestore (mongodb.test.ts).
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RestoreTarget } from "@steward/contracts/backups";
import { EXEC_PATH } from "../../system/exec.ts";
import type { ToolOptions } from "./db-tools.ts";
import { uriSecrets } from "./source-mongodb.ts";
import { intoTool, toolEnv } from "./tool-process.ts";

export type MongoTarget = Extract<RestoreTarget, { kind: "mongodb" }>;

/** mongorestore's argv: the archive from stdin, the URI in the config file. */
export function mongorestoreArgs(configFile: string, target: MongoTarget, dryRun: boolean) {
  const { from, database } = target;
  return [
    "--archive",
    `--config=${configFile}`,
    ...(from === null ? [] : [`--nsInclude=${from}.*`]),
    ...(from !== null && database !== null && database !== from
      ? [`--nsFrom=${from}.*`, `--nsTo=${database}.*`]
      : []),
    ...(target.drop ? ["--drop"] : []),
    ...(dryRun ? ["--dryRun"] : []),
  ];
}

/** A sink that feeds the plain archive to mongorestore. */
export function intoMongo(target: MongoTarget, dryRun: boolean, o: ToolOptions = {}) {
  return async (plain: AsyncIterable<Buffer>): Promise<void> => {
    const dir = await mkdtemp(join(tmpdir(), "steward-mongorestore-"));
    try {
      const config = join(dir, "mongorestore.yaml");
      // a JSON string is a YAML double-quoted scalar
      await writeFile(config, `uri: ${JSON.stringify(target.uri)}\n`, { mode: 0o600 });
      const child = spawn("mongorestore", mongorestoreArgs(config, target, dryRun), {
        env: toolEnv({}, o.path ?? EXEC_PATH),
        stdio: ["pipe", "ignore", "pipe"],
      });
      await intoTool(child, plain, {
        tool: "mongorestore",
        accepted: [0],
        secrets: uriSecrets(target.uri),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}
