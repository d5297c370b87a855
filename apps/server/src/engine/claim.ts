// Claiming runnable tasks. Rows are read FOR UPDATE SKIP LOCKED, so claims never take the
// same task and never wait on a row another transaction is changing (cancel, edit). A claim
// whose candidates have concurrency limits or spacing counts them under a transaction-scoped
// advisory lock on PostgreSQL (the single connection on SQLite), so they hold across
// workers; claims of tasks without either run side by side.
//
// A claim may take more tasks than the worker has free slots (its local queue, runner.ts):
// only tasks without limits or spacing wait there. A task with either is taken only into a
// slot free now, so it starts as it is counted (a limit counts it, its spacing starts) and
// the tasks after it in line wait for a later claim.
import { type Kysely, sql } from "kysely";
import type { Db } from "../db/open.ts";
import type { Database } from "../db/schema.ts";
import { CLAIMED_COLUMNS, type ClaimedTask } from "./types.ts";

const CLAIM_LOCK = 0x57e3a1d; // any constant shared by all Steward processes

export async function claimTasks(
  db: Db,
  worker: string,
  max: number,
  leaseMs: number,
  /** how many of the claimed tasks start at once: the rest wait in the local queue */
  startNow = max,
): Promise<ClaimedTask[]> {
  if (max <= 0) return [];
  if (db.dialect === "postgres") {
    // Most claims take the first tasks in line, none of them with a concurrency limit or
    // spacing: one statement locks and takes them. It takes nothing when nothing is runnable
    // (an idle worker's claim: one round trip); when it returns a candidate still queued, one
    // has a limit or spacing and the transaction below decides.
    const taken = await claimFirst(db.db, max, Date.now(), worker, leaseMs);
    if (taken.length === 0) return [];
    if (taken[0]?.state === "running") return taken.sort(inLine);
  }
  const claimed = await db.db.transaction().execute(async (trx) => {
    let now = Date.now();
    // look further than `max`: some candidates may be held back by limits or spacing (a
    // claim for the local queue reads a few dozen more, not four times its hundreds)
    const candidates = await runnable(trx, db.dialect, now, max + Math.min(max * 3, 48) + 16);
    if (candidates.length === 0) return [];
    // Counted after the lock is held, the running tasks and last starts include every
    // claim committed before this one (each statement reads what was committed when it began).
    if (db.dialect === "postgres" && candidates.some((c) => c.concurrency_key || c.gap_key)) {
      await sql`select pg_advisory_xact_lock(${CLAIM_LOCK})`.execute(trx);
      now = Date.now();
    }
    const chosen = await choose(trx, candidates, max, startNow, now);
    if (chosen.length === 0) return [];
    const taken = await trx
      .updateTable("tasks")
      .set((eb) => ({
        state: "running",
        attempts: eb("attempts", "+", 1),
        lease_owner: worker,
        lease_until: now + leaseMs,
        started_at: now,
        finished_at: null,
        cancel_requested: 0,
        updated_at: now,
      }))
      .where(
        "id",
        "in",
        chosen.map((c) => c.id),
      )
      .returning([...CLAIMED_COLUMNS])
      .execute();
    const gaps = [...new Set(chosen.map((c) => c.gap_key).filter((g): g is string => g !== null))];
    for (const gap_key of gaps) {
      await trx
        .insertInto("task_gaps")
        .values({ gap_key, last_started_at: now })
        .onConflict((oc) => oc.column("gap_key").doUpdateSet({ last_started_at: now }))
        .execute();
    }
    return taken;
  });
  return claimed.sort(inLine);
}

/**
 * The order the claim query takes tasks in (an UPDATE returns its rows in no order): tasks
 * waiting in the local queue start in it.
 */
const inLine = (a: ClaimedTask, b: ClaimedTask) =>
  a.priority - b.priority ||
  Number(a.run_at) - Number(b.run_at) ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Due, enabled, queued tasks whose prerequisites all succeeded, first in line first
 * (steward_claim_first in migration 003 repeats these conditions), locked on PostgreSQL.
 * Written out so that it walks tasks_claim_idx (migration 015) on both dialects: its
 * condition is the query's own, in literals (a bound parameter cannot prove a partial index's
 * condition), and SQLite is told the index (`indexed by`): with its statistics it preferred
 * the state index and sorted every queued task, 0.5-1.5 s on the event loop per claim among
 * 35,000 queued tasks (bench:api on SQLite), against a few rows read along the claim's order.
 */
async function runnable(
  db: Kysely<Database>,
  dialect: Db["dialect"],
  now: number,
  limit: number,
): Promise<Candidate[]> {
  const from = dialect === "sqlite" ? sql`tasks as t indexed by tasks_claim_idx` : sql`tasks as t`;
  const lock = dialect === "postgres" ? sql`for update of t skip locked` : sql``;
  const { rows } = await sql<Candidate>`
    select t.id, t.concurrency_key, t.concurrency_limit, t.gap_key, t.gap_ms from ${from}
    where t.state = 'queued' and t.enabled = 1 and t.run_at <= ${now}
      and not exists (
        select d.task_id from task_deps as d inner join tasks as p on p.id = d.depends_on_id
        where d.task_id = t.id and p.state != 'succeeded')
    order by t.priority, t.run_at, t.id
    limit ${limit} ${lock}`.execute(db);
  return rows;
}

/**
 * PostgreSQL: the first `max` runnable tasks, locked and taken by one call of
 * steward_claim_first (migrations 003 and 016; its conditions are runnable()'s), provided
 * none of them has a concurrency limit or spacing: otherwise it takes nothing and returns the
 * first such candidate, still queued. What choose() would pick from them is exactly them.
 */
async function claimFirst(
  db: Kysely<Database>,
  max: number,
  now: number,
  worker: string,
  leaseMs: number,
): Promise<ClaimedTask[]> {
  const columns = sql.join(CLAIMED_COLUMNS.map((c) => sql.ref(c)));
  const { rows } = await sql<ClaimedTask>`
    select ${columns} from steward_claim_first(${worker}, ${max}, ${now}, ${leaseMs})`.execute(db);
  return rows;
}

type Candidate = {
  id: string;
  concurrency_key: string | null;
  concurrency_limit: number | null;
  gap_key: string | null;
  gap_ms: number | null;
};

/**
 * Applies concurrency limits and spacing, counting what is running and what this claim
 * takes; a task with either is chosen only among the first `startNow`, which start at once.
 */
async function choose(
  trx: Kysely<Database>,
  candidates: Candidate[],
  max: number,
  startNow: number,
  now: number,
) {
  const keys = [
    ...new Set(candidates.map((c) => c.concurrency_key).filter((k): k is string => k !== null)),
  ];
  const gapKeys = [
    ...new Set(candidates.map((c) => c.gap_key).filter((k): k is string => k !== null)),
  ];
  const running = new Map<string, number>();
  if (keys.length) {
    const rows = await trx
      .selectFrom("tasks")
      .select(["concurrency_key", sql<number>`count(*)`.as("n")])
      .where("state", "=", "running")
      .where("concurrency_key", "in", keys)
      .groupBy("concurrency_key")
      .execute();
    for (const r of rows) if (r.concurrency_key) running.set(r.concurrency_key, Number(r.n));
  }
  const lastStart = new Map<string, number>();
  if (gapKeys.length) {
    const rows = await trx
      .selectFrom("task_gaps")
      .selectAll()
      .where("gap_key", "in", gapKeys)
      .execute();
    for (const r of rows) lastStart.set(r.gap_key, Number(r.last_started_at));
  }
  const chosen: Candidate[] = [];
  for (const c of candidates) {
    if (chosen.length >= max) break;
    if ((c.concurrency_key || c.gap_key) && chosen.length >= startNow) break;
    const n = c.concurrency_key ? (running.get(c.concurrency_key) ?? 0) : 0;
    if (c.concurrency_key && n >= (c.concurrency_limit ?? 1)) continue;
    const last = c.gap_key ? lastStart.get(c.gap_key) : undefined;
    if (last !== undefined && last + Number(c.gap_ms ?? 0) > now) continue;
    if (c.concurrency_key) running.set(c.concurrency_key, n + 1);
    if (c.gap_key) lastStart.set(c.gap_key, now);
    chosen.push(c);
  }
  return chosen;
}
