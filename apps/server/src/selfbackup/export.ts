// `steward backup export`: the panel's database (a consistent copy while it runs), its master
// key and its settings file, as one artifact in the format of every backup (zstd, AES-256-GCM
// chunks, the data key wrapped for each recipient, a `.meta.json` sidecar with source kind
// `steward`), written to any destinations the pipeline takes: a file for the CLI, a plan's
// destinations for a scheduled run. Audited as `steward.export`, failed or not.
import { existsSync, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import {
  type BackupResult,
  type Progress,
  type RunDestination,
  runBackup,
} from "@steward/agent/backups";
import type { Ctx } from "../access/types.ts";
import { recordAudit } from "../audit/log.ts";
import type { Settings } from "../config/schema.ts";
import { loadMasterKey } from "../crypto/master-key.ts";
import { type Db, postgresUrlOf, sqliteFileOf } from "../db/open.ts";
import { type Member, packContainer } from "./container.ts";
import { postgresDump, sqliteSnapshot } from "./database.ts";

export interface ExportRequest {
  /** raw X25519 public keys (base64) the artifact is readable by */
  recipients: string[];
  /** the artifact's name on every destination */
  name: string;
  destinations: RunDestination[];
  planId?: string | null;
  compressionLevel?: number;
  onProgress?: (progress: Progress) => void;
}

/**
 * Exports Steward as it is now. `db` is open on the settings' database and its master key was
 * checked against it (openServices does), so the key exported is the one its secrets open with.
 */
export async function exportSteward(
  settings: Settings,
  db: Db,
  ctx: Ctx,
  request: ExportRequest,
): Promise<BackupResult> {
  const masterKey = loadMasterKey(settings.dataDir, settings.masterKey, db.where);
  const members: Member[] = [
    { name: "master.key", content: Buffer.from(`${masterKey.toString("base64")}\n`) },
  ];
  if (existsSync(settings.configFile))
    members.push({ name: "steward.json", content: readFileSync(settings.configFile) });
  const url = postgresUrlOf(settings);
  const snapshot = url ? await postgresDump(url) : await sqliteSnapshot(sqliteFileOf(settings));
  const engine = url ? "postgres" : "sqlite";
  const result = await runBackup({
    source: Readable.from(
      packContainer({ engine, producer: snapshot.producer }, members, snapshot.stream),
    ),
    sourceInfo: {
      kind: "steward",
      nodeId: null,
      description: db.where,
      producer: snapshot.producer,
    },
    name: request.name,
    planId: request.planId ?? null,
    compressionLevel: request.compressionLevel ?? 6,
    recipients: request.recipients,
    destinations: request.destinations,
    onProgress: request.onProgress,
  });
  await recordAudit(db.db, ctx, {
    action: "steward.export",
    outcome: result.status === "failed" ? "failure" : "success",
    targetType: "steward",
    diff: {
      artifact: request.name,
      engine,
      recipients: request.recipients,
      members: members.map((m) => m.name),
      status: result.status,
      bytes: result.metadata?.bytes ?? null,
      sha256: result.metadata?.sha256 ?? null,
      error: result.error ?? result.destinations.find((d) => d.error)?.error ?? null,
    },
  });
  return result;
}
