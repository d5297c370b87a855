// Changing a plan, and its recovery kit. A change passes the checks of a create (sources and
// destinations of the plan's account, the schedule and time zone); a changed schedule, time
// zone, `enabled` or test-restore schedule cancels the plan's recurring task and makes a new
// one. Encryption keeps its mode: the mode says which key opens the artifacts already made (a
// panel key that is dropped would leave them unreadable), so only a `recipients` plan's keys
// may change (new artifacts for the new keys; older ones keep theirs). The recovery kit
// answers a `panel` plan's private key once (its admins), then only `again` with a reason.
import type { BackupPlanUpdate } from "@steward/contracts/backups";
import type { Kysely } from "kysely";
import { enforce } from "../../access/decision.ts";
import { backups as policy } from "../../access/policies/backups.ts";
import type { Ctx } from "../../access/types.ts";
import { changeOf, recordAudit } from "../../audit/log.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../../engine/engine.ts";
import { conflict, invalid, notFound } from "../../lib/errors.ts";
import { findTask } from "../tasks/repo.ts";
import { recoveryKitText } from "./kit.ts";
import * as plans from "./plans-repo.ts";
import { BACKUP_PLAN } from "./plans-runs.ts";
import { BACKUP_VERIFY_PLAN } from "./verify-tasks.ts";

type PlanChecks = {
  checkWhen(schedule: string | null, timeZone: string, field?: string): void;
  checkParts(
    ctx: Ctx,
    input: {
      accountId: string;
      sourceIds: string[];
      destinationIds: string[];
      encryption: { mode: "none" | "recipients" | "panel" };
    },
  ): Promise<{ sourceIds: string[]; destinationIds: string[] }>;
};

/** The recurring task of a plan's schedule (runs or test restores), in the caller's transaction. */
export async function scheduleOf(
  engine: Engine,
  trx: Kysely<Database>,
  kind: typeof BACKUP_PLAN | typeof BACKUP_VERIFY_PLAN,
  plan: { id: string; accountId: string },
  when: { schedule: string; timeZone: string } | null,
) {
  if (!when) return null;
  const { task } = await engine.enqueue(
    {
      kind,
      payload: { planId: plan.id },
      expression: when.schedule,
      timezone: when.timeZone,
      accountId: plan.accountId,
      target: { type: "backup-plan", id: plan.id },
      createdBy: null,
    },
    trx,
  );
  return task.id;
}

/** A `recipients` plan cannot be test-restored on a schedule: no key is there to open it. */
export function checkVerifyKey(mode: string, verify: unknown) {
  if (verify && mode === "recipients")
    throw invalid(
      "verify",
      "a plan encrypted for the user's keys cannot be test-restored on a schedule (the panel holds no key to open it): run a test restore with an identity",
    );
}

export function createPlanEdits(
  deps: { db: Db; secrets: Secrets; engine: Engine },
  checks: PlanChecks,
) {
  const k = deps.db.db;

  async function mustManage(ctx: Ctx, id: string) {
    const row = await plans.findPlan(k, id);
    if (!row || !policy.canRead(ctx, row).allowed) throw notFound(`backup plan ${id}`);
    enforce(ctx, policy.canManage(ctx, row));
    return row;
  }

  const cancel = async (taskId: string | null, why: string) => {
    const task = taskId ? await findTask(k, taskId) : undefined;
    if (task && !["succeeded", "failed", "cancelled"].includes(task.state))
      await deps.engine.cancel(task, why);
  };

  return {
    async update(ctx: Ctx, id: string, input: BackupPlanUpdate) {
      const row = await mustManage(ctx, id);
      const before = plans.toPlan(row);
      if (input.encryption && input.encryption.mode !== row.encryption)
        throw invalid(
          "encryption.mode",
          `the plan encrypts with mode ${row.encryption}: the mode cannot change (the artifacts made so far need its key); make a new plan`,
        );
      const schedule = input.schedule === undefined ? row.schedule : input.schedule;
      const timeZone = input.timeZone ?? row.time_zone;
      checks.checkWhen(schedule, timeZone);
      const verify = input.verify === undefined ? before.verify : input.verify;
      if (verify) checks.checkWhen(verify.schedule, verify.timeZone, "verify");
      checkVerifyKey(row.encryption, verify);
      const parts = await checks.checkParts(ctx, {
        accountId: row.account_id,
        encryption: { mode: row.encryption },
        sourceIds: input.sourceIds ?? before.sourceIds,
        destinationIds: input.destinationIds ?? before.destinationIds,
      });
      const enabled = input.enabled ?? before.enabled;
      const recipients =
        input.encryption?.mode === "recipients"
          ? [...new Set(input.encryption.recipients)]
          : before.recipients;
      const runsChanged =
        schedule !== row.schedule || timeZone !== row.time_zone || enabled !== before.enabled;
      const verifyChanged = JSON.stringify(verify) !== JSON.stringify(before.verify);
      if (runsChanged) await cancel(row.schedule_task_id, "its backup plan's schedule changed");
      if (verifyChanged)
        await cancel(row.verify_task_id, "its backup plan's test restores changed");
      const plan = { id, accountId: row.account_id };
      await k.transaction().execute(async (trx) => {
        const runTask = runsChanged
          ? await scheduleOf(
              deps.engine,
              trx,
              BACKUP_PLAN,
              plan,
              schedule && enabled ? { schedule, timeZone } : null,
            )
          : row.schedule_task_id;
        const verifyTask = verifyChanged
          ? await scheduleOf(deps.engine, trx, BACKUP_VERIFY_PLAN, plan, enabled ? verify : null)
          : row.verify_task_id;
        await plans.updatePlan(trx, id, {
          name: input.name ?? row.name,
          source_ids: JSON.stringify(parts.sourceIds),
          destination_ids: JSON.stringify(parts.destinationIds),
          schedule,
          time_zone: timeZone,
          compression_level: input.compressionLevel ?? row.compression_level,
          recipients: JSON.stringify(recipients),
          retention: input.retention ? JSON.stringify(input.retention) : row.retention,
          concurrency: input.concurrency ?? row.concurrency,
          enabled: enabled ? 1 : 0,
          schedule_task_id: runTask,
          verify_schedule: verify?.schedule ?? null,
          verify_time_zone: verify?.timeZone ?? null,
          verify_task_id: verifyTask,
          updated_at: Date.now(),
        });
        const { nextRunAt: _n, updatedAt: _u, ...was } = before;
        await recordAudit(
          trx,
          ctx,
          changeOf("backup-plan", id, "update", { before: was, after: input }, row.account_id),
        );
      });
    },

    /** The panel-sealed private key, once; again only with `again` and a reason (audited). */
    async recoveryKit(ctx: Ctx, id: string, opts: { again: boolean; reason?: string | undefined }) {
      const row = await mustManage(ctx, id);
      if (row.encryption !== "panel" || !row.private_key_sealed)
        throw conflict(
          `backup plan ${row.name} does not encrypt with a panel key (mode ${row.encryption}): it has no recovery kit`,
        );
      if (row.recovery_kit_taken_at !== null && !opts.again)
        throw conflict(
          `the recovery kit of ${row.name} was taken on ${new Date(Number(row.recovery_kit_taken_at)).toISOString()}: take it again with again=true and a reason`,
        );
      if (opts.again && !opts.reason?.trim())
        throw invalid("reason", "say why the recovery kit is taken again");
      const now = Date.now();
      await k.transaction().execute(async (trx) => {
        await plans.updatePlan(trx, id, { recovery_kit_taken_at: now });
        const after = {
          takenAt: new Date(now).toISOString(),
          again: opts.again,
          reason: opts.reason ?? null,
        };
        await recordAudit(
          trx,
          ctx,
          changeOf("backup-plan", id, "recovery-kit", { after }, row.account_id),
        );
      });
      const plan = plans.toPlan({ ...row, recovery_kit_taken_at: now });
      return { plan, text: recoveryKitText(plan, deps.secrets.open(row.private_key_sealed)) };
    },
  };
}
