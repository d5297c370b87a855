// Backup plans, their runs and artifacts through the API and the CLI. A plan names sources and
// destinations of its own account (or shared destinations); a node's directory as a
// destination must be on the node its sources are read on. Its schedule is a recurring
// `backup.plan` task (cron and time zone checked by the engine's checkSchedule); "run now"
// starts the runs at once and answers their tasks. Encryption is none, the user's own public
// keys, or a key pair made here whose private key is sealed with the master key.

import type {
  BackupPlan,
  BackupPlanCreate,
  BackupPlanUpdate,
  backupArtifactListQuery,
  backupPlanListQuery,
  backupRunListQuery,
} from "@steward/contracts/backups";
import type { z } from "zod";
import { enforce } from "../../access/decision.ts";
import { backups as policy } from "../../access/policies/backups.ts";
import type { Ctx } from "../../access/types.ts";
import { changeOf, recordAudit } from "../../audit/log.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import type { Engine } from "../../engine/engine.ts";
import { checkSchedule } from "../../engine/schedule.ts";
import { invalid, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { requireAccount } from "../accounts/require.ts";
import { findTask } from "../tasks/repo.ts";
import { answerPlans } from "./plans-answer.ts";
import { checkVerifyKey, createPlanEdits, scheduleOf } from "./plans-edit.ts";
import * as plans from "./plans-repo.ts";
import { BACKUP_PLAN, startRuns } from "./plans-runs.ts";
import { findDestination } from "./repo.ts";
import * as runs from "./runs-repo.ts";
import { findSources } from "./sources-repo.ts";
import { BACKUP_VERIFY_PLAN } from "./verify-tasks.ts";

export interface PlansDeps {
  db: Db;
  secrets: Secrets;
  engine: Engine;
}

type Page = { limit: number; cursor?: string };

/** The schedule and time zone as the engine checks them: a 400 naming the field. */
function checkWhen(schedule: string | null, timeZone: string, prefix?: string) {
  try {
    // without a schedule the time zone still cuts retention's periods: checked alone
    checkSchedule(schedule ?? "0 0 * * *", timeZone);
  } catch (e) {
    const message = (e as Error).message;
    const field = message.startsWith("timezone:") ? "timeZone" : "schedule";
    throw invalid(prefix ? `${prefix}.${field}` : field, message.slice(message.indexOf(":") + 2));
  }
}

export function createPlansService({ db, secrets, engine }: PlansDeps) {
  const k = db.db;
  const enqueue = (spec: Parameters<Engine["enqueue"]>[0], trx: Parameters<Engine["enqueue"]>[1]) =>
    engine.enqueue(spec, trx);

  async function mustFind(ctx: Ctx, id: string, decide = policy.canRead) {
    const row = await plans.findPlan(k, id);
    if (!row || !policy.canRead(ctx, row).allowed) throw notFound(`backup plan ${id}`);
    enforce(ctx, decide(ctx, row));
    return row;
  }

  /** Sources and destinations of the plan's account (shared destinations too). */
  async function checkParts(
    ctx: Ctx,
    input: Pick<BackupPlanCreate, "accountId" | "sourceIds" | "destinationIds" | "encryption">,
  ) {
    const sourceIds = [...new Set(input.sourceIds)];
    const sources = await findSources(k, sourceIds);
    for (const id of sourceIds) {
      const source = sources.find((s) => s.id === id);
      if (!source || source.account_id !== input.accountId)
        throw invalid("sourceIds", `no source ${id} in this account`);
    }
    const steward = sources.some((s) => s.kind === "steward");
    // its artifacts carry the master key and every account's data: the installation's to plan
    if (steward) enforce(ctx, policy.canReadNodes(ctx));
    if (steward && input.encryption.mode !== "recipients")
      throw invalid(
        "encryption.mode",
        input.encryption.mode === "none"
          ? "Steward's own backup carries the master key: encrypt it for recipients (steward backup keygen)"
          : "panel mode seals the private key with the master key this backup carries (lose the panel, lose the key that opens its backup): encrypt it for recipients (steward backup keygen)",
      );
    const destinationIds = [...new Set(input.destinationIds)];
    for (const id of destinationIds) {
      const row = await findDestination(k, id);
      if (!row || (row.account_id !== null && row.account_id !== input.accountId))
        throw invalid("destinationIds", `no destination ${id} in this account or shared`);
      const settings = JSON.parse(row.settings) as { kind: string; nodeId?: string };
      if (steward && settings.kind === "local")
        throw invalid(
          "destinationIds",
          `${row.name} is a node's directory, written by that node's agent: Steward's own backup runs on the panel, which writes to S3, SFTP or FTP`,
        );
      const elsewhere = sources.find(
        (s) => settings.kind === "local" && s.node_id !== settings.nodeId,
      );
      if (elsewhere)
        throw invalid(
          "destinationIds",
          `${row.name} is a directory of node ${settings.nodeId}, but source ${elsewhere.name} is read on ${elsewhere.node_id ? `node ${elsewhere.node_id}` : "no node"}: a local destination must be on the node the source is read on`,
        );
    }
    return { sourceIds, destinationIds };
  }

  async function keysOf(input: BackupPlanCreate) {
    switch (input.encryption.mode) {
      case "none":
        return { recipients: [], sealed: null };
      case "recipients":
        return { recipients: [...new Set(input.encryption.recipients)], sealed: null };
      case "panel": {
        const { generateRecipient } = await import("@steward/agent/backups");
        const pair = generateRecipient();
        return { recipients: [pair.publicKey], sealed: secrets.seal(pair.privateKey) };
      }
    }
  }

  const answer = (rows: plans.PlanRow[]) => answerPlans(k, rows);

  const edits = createPlanEdits({ db, secrets, engine }, { checkWhen, checkParts });

  async function get(ctx: Ctx, id: string) {
    const row = await mustFind(ctx, id);
    const [plan] = await answer([row]);
    return plan as BackupPlan;
  }

  async function list(ctx: Ctx, f: z.infer<typeof backupPlanListQuery> & Page) {
    const page = await plans.listPlans(k, policy.listScope(ctx, "backup_plans"), {
      ...f,
      walk: plans.planOrder(f.sort, f.cursor),
    });
    return { items: await answer(page.items), nextCursor: page.nextCursor };
  }

  return {
    list,

    get,

    async update(ctx: Ctx, id: string, input: BackupPlanUpdate) {
      await edits.update(ctx, id, input);
      return get(ctx, id);
    },

    recoveryKit: edits.recoveryKit,

    async create(ctx: Ctx, input: BackupPlanCreate) {
      enforce(ctx, policy.canCreateIn(ctx, input.accountId));
      await requireAccount(k, input.accountId, "accountId");
      checkWhen(input.schedule, input.timeZone);
      if (input.verify) checkWhen(input.verify.schedule, input.verify.timeZone, "verify");
      checkVerifyKey(input.encryption.mode, input.verify);
      const { sourceIds, destinationIds } = await checkParts(ctx, input);
      const keys = await keysOf(input);
      const now = Date.now();
      const id = newId("bkp");
      await k.transaction().execute(async (trx) => {
        const plan = { id, accountId: input.accountId };
        const when = input.schedule ? { schedule: input.schedule, timeZone: input.timeZone } : null;
        const scheduled = await scheduleOf(
          engine,
          trx,
          BACKUP_PLAN,
          plan,
          input.enabled ? when : null,
        );
        const verifyTask = await scheduleOf(
          engine,
          trx,
          BACKUP_VERIFY_PLAN,
          plan,
          input.enabled ? input.verify : null,
        );
        await plans.insertPlan(trx, {
          id,
          account_id: input.accountId,
          name: input.name,
          source_ids: JSON.stringify(sourceIds),
          destination_ids: JSON.stringify(destinationIds),
          schedule: input.schedule,
          time_zone: input.timeZone,
          compression_level: input.compressionLevel,
          encryption: input.encryption.mode,
          recipients: JSON.stringify(keys.recipients),
          private_key_sealed: keys.sealed,
          retention: JSON.stringify(input.retention),
          concurrency: input.concurrency,
          enabled: input.enabled ? 1 : 0,
          schedule_task_id: scheduled,
          verify_schedule: input.verify?.schedule ?? null,
          verify_time_zone: input.verify?.timeZone ?? null,
          verify_task_id: verifyTask,
          created_at: now,
          updated_at: now,
        });
        const after = { ...input, encryption: input.encryption.mode, recipients: keys.recipients };
        await recordAudit(
          trx,
          ctx,
          changeOf("backup-plan", id, "create", { after }, input.accountId),
        );
      });
      return get(ctx, id);
    },

    /** Starts the plan's runs now: one task per source (per database of a server source). */
    async run(ctx: Ctx, id: string) {
      const row = await mustFind(ctx, id, policy.canRun);
      const started = await k.transaction().execute(async (trx) => {
        const made = await startRuns(trx, enqueue, row, null);
        await recordAudit(
          trx,
          ctx,
          changeOf(
            "backup-plan",
            id,
            "run",
            { after: { runs: made.map((r) => r.runId) } },
            row.account_id,
          ),
        );
        return made;
      });
      return { runs: started };
    },

    async remove(ctx: Ctx, id: string) {
      const row = await mustFind(ctx, id, policy.canManage);
      const sources = await findSources(k, plans.idsOf(row.source_ids));
      if (sources.some((s) => s.kind === "steward")) enforce(ctx, policy.canReadNodes(ctx));
      for (const taskId of [row.schedule_task_id, row.verify_task_id]) {
        const task = taskId ? await findTask(k, taskId) : undefined;
        if (task && !["succeeded", "failed", "cancelled"].includes(task.state))
          await engine.cancel(task, "its backup plan was deleted");
      }
      await k.transaction().execute(async (trx) => {
        await plans.deletePlan(trx, id);
        await recordAudit(
          trx,
          ctx,
          changeOf("backup-plan", id, "delete", { before: { name: row.name } }, row.account_id),
        );
      });
    },

    async listRuns(ctx: Ctx, f: z.infer<typeof backupRunListQuery> & Page) {
      return runs.listRuns(k, policy.listScope(ctx, "backup_runs"), f);
    },

    async getRun(ctx: Ctx, id: string) {
      const row = await runs.findRun(k, id);
      if (!row || !policy.canRead(ctx, row).allowed) throw notFound(`backup run ${id}`);
      return runs.toRun(row);
    },

    async listArtifacts(ctx: Ctx, f: z.infer<typeof backupArtifactListQuery> & Page) {
      return runs.listArtifacts(k, policy.listScope(ctx, "backup_artifacts"), f);
    },

    async getArtifact(ctx: Ctx, id: string) {
      const row = await runs.findArtifact(k, id);
      if (!row || !policy.canRead(ctx, row).allowed) throw notFound(`backup artifact ${id}`);
      return runs.toArtifact(row);
    },
  };
}

export type PlansService = ReturnType<typeof createPlansService>;
