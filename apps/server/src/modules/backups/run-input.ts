// What a `backup.run` task sends its node: the source as the agent reads it (a database's
// connection is the databases module's `databaseTarget`), each destination's settings with
// their secrets opened for this call only (a deleted destination, a host the outbound policy
// refuses or another node's directory is that destination's failure, and the others go on),
// and what retention deletes once the run succeeded, counting the run's own artifact as stored.
import type { agent } from "@steward/contracts";
import {
  type BackupOutcome,
  type BackupSourceSpec,
  type DestinationSettings,
  retentionPolicy,
} from "@steward/contracts/backups";
import type { Kysely } from "kysely";
import type { Settings } from "../../config/schema.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import { PermanentError, type TaskRow, type TaskSpec } from "../../engine/types.ts";
import { refuseFields } from "../../lib/outbound.ts";
import { targetOf } from "../databases/access.ts";
import { monitorPolicy } from "../monitors/policy.ts";
import { destinationTargets, openedSettings } from "./destination-test.ts";
import { idsOf, type PlanRow } from "./plans-repo.ts";
import { findDestination } from "./repo.ts";
import { retain } from "./retention.ts";
import * as runs from "./runs-repo.ts";
import type { SourceRow } from "./sources-repo.ts";

export type CallBackup = (
  nodeId: string,
  name: "backup.run" | "backup.restore" | "backup.verify",
  input: unknown,
  opts: {
    signal: AbortSignal;
    onLog: (line: string, level: "info" | "warn" | "error") => void;
    requestId: string;
  },
) => Promise<agent.OpResult>;

export interface BackupTaskDeps {
  db: Db;
  secrets: Secrets;
  /** the outbound policy's, and Steward's own export's (its data directory, database, key) */
  settings: Settings;
  call: CallBackup;
  enqueue: (spec: TaskSpec, trx: Kysely<Database>) => Promise<{ task: TaskRow }>;
}

/** What the agent reads for this run (a server source: the run's database). */
export function specOf(
  source: SourceRow,
  description: string,
  secrets: Secrets,
  server: Parameters<typeof targetOf>[0] | undefined,
): BackupSourceSpec {
  const spec = JSON.parse(source.spec) as {
    path: string;
    excludes: string[];
    database: string | null;
  };
  switch (source.kind) {
    case "files":
      return { kind: "files", path: spec.path, excludes: spec.excludes };
    case "mongodb":
      return {
        kind: "mongodb",
        uri: secrets.open(source.secret_sealed ?? ""),
        database: spec.database,
      };
    case "database":
    case "server": {
      if (!server) throw new PermanentError("the source's database server no longer exists");
      return {
        kind: "database",
        engine: server.engine,
        server: targetOf(server, secrets).target,
        database: description,
      };
    }
    case "steward":
      throw new PermanentError("Steward's own backup runs on the panel, not on a node");
  }
}

export interface Prepared {
  destinations: { id: string; settings: DestinationSettings }[];
  /** destinations refused before the run (missing, outbound policy, another node's directory) */
  refused: BackupOutcome[];
  names: Record<string, string>;
}

/** `nodeId` null: the panel runs the backup itself (Steward's own), so no node's directory. */
export async function destinationsOf(
  deps: BackupTaskDeps,
  plan: PlanRow,
  nodeId: string | null,
): Promise<Prepared> {
  const out: Prepared = { destinations: [], refused: [], names: {} };
  const refuse = (id: string, error: string) =>
    out.refused.push({ id, written: 0, bytes: null, sha256: null, error });
  for (const id of idsOf(plan.destination_ids)) {
    const row = await findDestination(deps.db.db, id);
    if (!row) {
      refuse(id, "the destination was deleted");
      continue;
    }
    out.names[id] = row.name;
    const settings = openedSettings(row, deps.secrets);
    if (settings.kind === "local" && settings.nodeId !== nodeId) {
      refuse(
        id,
        nodeId === null
          ? `a directory of node ${settings.nodeId}: the panel writes Steward's own backup to S3, SFTP or FTP only`
          : `a directory of node ${settings.nodeId}, not of the node that reads the source`,
      );
      continue;
    }
    const refused = await refuseFields(
      destinationTargets(settings),
      monitorPolicy(deps.settings, row.account_id),
    );
    if (refused) refuse(id, `${refused.field}: ${refused.message}`);
    else out.destinations.push({ id, settings });
  }
  return out;
}

/** Retention per destination, counting this run's artifact as stored: what to delete. */
export async function pruneOf(
  deps: BackupTaskDeps,
  plan: PlanRow,
  run: runs.RunRow,
  destinationIds: string[],
  now: number,
) {
  const policy = retentionPolicy.parse(JSON.parse(plan.retention));
  const chosen: { destinationId: string; names: string[]; ids: Map<string, string> }[] = [];
  for (const destinationId of destinationIds) {
    const stored = await runs.storedArtifacts(deps.db.db, {
      planId: plan.id,
      sourceId: run.source_id,
      description: run.description,
      destinationId,
    });
    const artifacts = [
      { id: "this run", createdAt: now, good: true },
      ...stored.map((a) => ({ id: a.id, createdAt: Number(a.created_at), good: true })),
    ];
    const { delete: doomed } = retain(artifacts, policy, now, plan.time_zone);
    const byId = new Map(stored.map((a) => [a.id, a.name]));
    const ids = new Map(
      doomed.flatMap((id) => (byId.has(id) ? [[byId.get(id) as string, id] as const] : [])),
    );
    if (ids.size > 0) chosen.push({ destinationId, names: [...ids.keys()], ids });
  }
  return chosen;
}
