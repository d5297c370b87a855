// Starting a plan's runs: each source becomes one run per thing it backs up (a server source:
// one per database of the account on that server, listed now), each run a `backup.run` task
// on the node that reads the source, its concurrency the plan's per node. Run now and the
// plan's schedule (the recurring `backup.plan` task) both start runs here.
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { TaskRow, TaskSpec } from "../../engine/types.ts";
import { newId } from "../../lib/ids.ts";
import { databaseNamesOn } from "../databases/items-repo.ts";
import { idsOf, type PlanRow } from "./plans-repo.ts";
import { insertRun, RUN_ID, updateRun } from "./runs-repo.ts";
import { findSources, type SourceRow } from "./sources-repo.ts";

export const BACKUP_RUN = "backup.run";
export const BACKUP_PLAN = "backup.plan";

type Enqueue = (spec: TaskSpec, trx: Kysely<Database>) => Promise<{ task: TaskRow }>;

export interface StartedRun {
  runId: string;
  taskId: string;
  sourceId: string;
  description: string;
}

/** What one source backs up now: a description per artifact (a path, a database's name). */
export async function itemsOf(db: Kysely<Database>, source: SourceRow): Promise<string[]> {
  const spec = JSON.parse(source.spec) as { path?: string; database?: string | null };
  switch (source.kind) {
    case "files":
      return [spec.path ?? "/"];
    case "database":
      return [spec.database ?? ""];
    case "server":
      return source.server_id
        ? (await databaseNamesOn(db, source.server_id)).map((d) => d.name).sort()
        : [];
    case "mongodb":
      return [spec.database ?? "all databases"];
    case "steward":
      return ["steward"];
  }
}

const EXTENSION = {
  files: "tar",
  database: "dump",
  server: "dump",
  mongodb: "archive",
  steward: "stwbak",
};

/** The artifact's file name: readable, unique by its run id. */
export function artifactNameOf(
  description: string,
  kind: SourceRow["kind"],
  runId: string,
  encrypted: boolean,
) {
  const readable = description
    .replace(/[^A-Za-z0-9._+-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 60);
  return `${readable ? `${readable}-` : ""}${runId}.${EXTENSION[kind]}.zst${encrypted ? ".enc" : ""}`;
}

export async function startRuns(
  db: Kysely<Database>,
  enqueue: Enqueue,
  plan: PlanRow,
  createdBy: string | null,
): Promise<StartedRun[]> {
  const found = await findSources(db, idsOf(plan.source_ids));
  // in the plan's order
  const sources = idsOf(plan.source_ids).flatMap((id) => found.filter((s) => s.id === id));
  const started: StartedRun[] = [];
  for (const source of sources)
    for (const description of await itemsOf(db, source)) {
      const runId = newId(RUN_ID);
      const now = Date.now();
      await insertRun(db, {
        id: runId,
        account_id: plan.account_id,
        plan_id: plan.id,
        source_id: source.id,
        description,
        node_id: source.node_id,
        status: "queued",
        artifact: artifactNameOf(description, source.kind, runId, plan.encryption !== "none"),
        source_bytes: null,
        bytes: null,
        outcomes: "[]",
        error: null,
        task_id: null,
        started_at: null,
        finished_at: null,
        created_at: now,
      });
      const { task } = await enqueue(
        {
          kind: BACKUP_RUN,
          payload: {
            runId,
            nodeId: source.node_id ?? "panel",
            concurrency: Number(plan.concurrency),
          },
          accountId: plan.account_id,
          target: { type: "backup-plan", id: plan.id },
          onSuccess: "disable",
          createdBy,
        },
        db,
      );
      await updateRun(db, runId, { task_id: task.id });
      started.push({ runId, taskId: task.id, sourceId: source.id, description });
    }
  return started;
}
