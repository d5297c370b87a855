// Every line of SQL of the backup_runs and backup_artifacts tables. Lists walk the id order
// (newest first) of an index ending with it: by account, plan, status for runs; by account,
// plan, source, destination, verification for artifacts; a date range is an id range.
import {
  type BackupArtifact,
  type BackupOutcome,
  type BackupRun,
  backupOutcome,
} from "@steward/contracts/backups";
import type { Insertable, Kysely, Selectable, Updateable } from "kysely";
import { z } from "zod";
import type { Database } from "../../db/schema.ts";
import type { BackupArtifactTable, BackupRunTable } from "../../db/schema-backups.ts";
import { idAt } from "../../lib/ids.ts";
import { isoOrNull, msToIso, pageOf } from "../../lib/sql.ts";
import { type ListScope, pageOfWalks } from "../../lib/walks.ts";

export type RunRow = Selectable<BackupRunTable>;
export type ArtifactRow = Selectable<BackupArtifactTable>;
export const RUN_ID = "bkr";
export const ARTIFACT_ID = "bka";

const num = (v: number | null) => (v === null ? null : Number(v));
const outcomes = z.array(backupOutcome);

export function toRun(row: RunRow): BackupRun {
  return {
    id: row.id,
    accountId: row.account_id,
    planId: row.plan_id,
    sourceId: row.source_id,
    description: row.description,
    nodeId: row.node_id,
    status: row.status,
    artifact: row.artifact,
    sourceBytes: num(row.source_bytes),
    bytes: num(row.bytes),
    destinations: outcomes.parse(JSON.parse(row.outcomes)),
    error: row.error,
    taskId: row.task_id,
    startedAt: isoOrNull(num(row.started_at)),
    finishedAt: isoOrNull(num(row.finished_at)),
    createdAt: msToIso(Number(row.created_at)),
  };
}

export function toArtifact(row: ArtifactRow): BackupArtifact {
  return {
    id: row.id,
    accountId: row.account_id,
    runId: row.run_id,
    planId: row.plan_id,
    sourceId: row.source_id,
    destinationId: row.destination_id,
    name: row.name,
    bytes: Number(row.bytes),
    sha256: row.sha256,
    sourceDescription: row.source_description,
    createdAt: msToIso(Number(row.created_at)),
    verifiedAt: isoOrNull(num(row.verified_at)),
    verifyError: row.verify_error,
    verifyCheckedAt: isoOrNull(num(row.verify_checked_at)),
    deletedAt: isoOrNull(num(row.deleted_at)),
    importedAt: isoOrNull(num(row.imported_at)),
  };
}

export async function listRuns(
  db: Kysely<Database>,
  scope: ListScope,
  f: { plan?: string; status?: BackupRun["status"]; limit: number; cursor?: string },
) {
  let q = db
    .selectFrom("backup_runs")
    .selectAll()
    .orderBy("id", "desc")
    .limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.plan) q = q.where("plan_id", "=", f.plan);
  if (f.status) q = q.where("status", "=", f.status);
  if (f.cursor) q = q.where("id", "<", f.cursor);
  const rows = await pageOfWalks(db, scope.walks, f.limit + 1, q);
  return pageOf(rows.map(toRun), f.limit, (r) => r.id);
}

export const findRun = (db: Kysely<Database>, id: string) =>
  db.selectFrom("backup_runs").selectAll().where("id", "=", id).executeTakeFirst();

export async function insertRun(db: Kysely<Database>, row: Insertable<BackupRunTable>) {
  await db.insertInto("backup_runs").values(row).execute();
}

export async function updateRun(db: Kysely<Database>, id: string, set: Updateable<BackupRunTable>) {
  await db.updateTable("backup_runs").set(set).where("id", "=", id).execute();
}

export const outcomesJson = (list: BackupOutcome[]) => JSON.stringify(list);

export interface ArtifactFilter {
  plan?: string;
  source?: string;
  destination?: string;
  verified?: "true" | "false";
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

export async function listArtifacts(db: Kysely<Database>, scope: ListScope, f: ArtifactFilter) {
  let q = db
    .selectFrom("backup_artifacts")
    .selectAll()
    .orderBy("id", "desc")
    .limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.plan) q = q.where("plan_id", "=", f.plan);
  if (f.source) q = q.where("source_id", "=", f.source);
  if (f.destination) q = q.where("destination_id", "=", f.destination);
  if (f.verified) q = q.where("verified", "=", f.verified === "true" ? 1 : 0);
  // an artifact's id is made when it is recorded: its time is its id's
  if (f.from) q = q.where("id", ">=", idAt(ARTIFACT_ID, Date.parse(f.from)));
  if (f.to) q = q.where("id", "<", idAt(ARTIFACT_ID, Date.parse(f.to)));
  if (f.cursor) q = q.where("id", "<", f.cursor);
  const rows = await pageOfWalks(db, scope.walks, f.limit + 1, q);
  return pageOf(rows.map(toArtifact), f.limit, (a) => a.id);
}

/** A run's live artifacts (one per destination that has it), oldest first. */
export const artifactsOfRun = (db: Kysely<Database>, runId: string) =>
  db
    .selectFrom("backup_artifacts")
    .selectAll()
    .where("run_id", "=", runId)
    .where("deleted_at", "is", null)
    .orderBy("run_id")
    .orderBy("id")
    .limit(100)
    .execute();

export const findArtifact = (db: Kysely<Database>, id: string) =>
  db.selectFrom("backup_artifacts").selectAll().where("id", "=", id).executeTakeFirst();

export async function insertArtifacts(
  db: Kysely<Database>,
  rows: Insertable<BackupArtifactTable>[],
) {
  if (rows.length > 0) await db.insertInto("backup_artifacts").values(rows).execute();
}

/**
 * The artifacts of a plan's source (one database of a server source: its description) on a
 * destination that are still there: what retention chooses from.
 */
export const storedArtifacts = (
  db: Kysely<Database>,
  f: { planId: string; sourceId: string; description: string; destinationId: string },
) =>
  db
    .selectFrom("backup_artifacts")
    .selectAll()
    .where("plan_id", "=", f.planId)
    .where("destination_id", "=", f.destinationId)
    .where("source_id", "=", f.sourceId)
    .where("source_description", "=", f.description)
    .where("deleted_at", "is", null)
    .orderBy("plan_id")
    .orderBy("id", "desc")
    .execute();

export async function markDeleted(db: Kysely<Database>, ids: string[], at: number) {
  if (ids.length > 0)
    await db
      .updateTable("backup_artifacts")
      .set({ deleted_at: at })
      .where("id", "in", ids)
      .execute();
}

/** A test restore checked the artifact: verified, or its failure kept (and `verified` lost). */
export async function markVerified(db: Kysely<Database>, id: string, at: number) {
  await db
    .updateTable("backup_artifacts")
    .set({ verified: 1, verified_at: at, verify_error: null, verify_checked_at: at })
    .where("id", "=", id)
    .execute();
}

export async function markVerifyFailed(
  db: Kysely<Database>,
  id: string,
  at: number,
  error: string,
) {
  await db
    .updateTable("backup_artifacts")
    .set({
      verified: 0,
      verified_at: null,
      verify_error: error.slice(0, 2000),
      verify_checked_at: at,
    })
    .where("id", "=", id)
    .execute();
}

/**
 * The newest unverified artifact still stored of each thing a plan backs up (a source; one
 * database of a server source), on any destination: what a scheduled test restore checks.
 * Reads the plan's newest unverified artifacts (plan, verified, id index), at most 500.
 */
export async function newestUnverified(db: Kysely<Database>, planId: string) {
  const rows = await db
    .selectFrom("backup_artifacts")
    .selectAll()
    .where("plan_id", "=", planId)
    .where("verified", "=", 0)
    .orderBy("id", "desc")
    .limit(500)
    .execute();
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = `${r.source_id}\n${r.source_description}`;
    if (r.deleted_at !== null || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Bytes the last successful run of the same thing read (a run's progress is measured by it). */
export const lastSourceBytes = async (
  db: Kysely<Database>,
  f: { planId: string; sourceId: string; description: string },
) =>
  (
    await db
      .selectFrom("backup_runs")
      .select("source_bytes")
      .where("plan_id", "=", f.planId)
      .where("status", "=", "succeeded")
      .where("source_id", "=", f.sourceId)
      .where("description", "=", f.description)
      .orderBy("plan_id")
      .orderBy("status")
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst()
  )?.source_bytes ?? null;

/** The live (not deleted) artifacts of a destination with these names (the explorer's join). */
export const liveArtifactsNamed = (db: Kysely<Database>, destinationId: string, names: string[]) =>
  names.length === 0
    ? Promise.resolve([] as ArtifactRow[])
    : db
        .selectFrom("backup_artifacts")
        .selectAll()
        .where("destination_id", "=", destinationId)
        .where("name", "in", names)
        .where("deleted_at", "is", null)
        .execute();

/** A page of a destination's live artifacts, newest first (the explorer's missing ones). */
export const liveArtifactsOf = (
  db: Kysely<Database>,
  destinationId: string,
  f: { limit: number; before?: string },
) => {
  let q = db
    .selectFrom("backup_artifacts")
    .selectAll()
    .where("destination_id", "=", destinationId)
    .where("deleted_at", "is", null)
    .orderBy("destination_id")
    .orderBy("id", "desc")
    .limit(f.limit);
  if (f.before) q = q.where("id", "<", f.before);
  return q.execute();
};

/**
 * Another good copy of what this artifact holds: a live artifact of the same plan (or, without
 * a plan, the same account) and source description, on any destination.
 */
export async function otherGoodCopy(db: Kysely<Database>, row: ArtifactRow) {
  let q = db
    .selectFrom("backup_artifacts")
    .select("id")
    .where("source_description", "=", row.source_description)
    .where("deleted_at", "is", null)
    .where("id", "!=", row.id);
  q = row.plan_id
    ? q.where("plan_id", "=", row.plan_id).orderBy("plan_id").orderBy("id", "desc")
    : q
        .where("account_id", "=", row.account_id)
        .where("plan_id", "is", null)
        .orderBy("account_id")
        .orderBy("id", "desc");
  return (await q.limit(1).executeTakeFirst()) !== undefined;
}
