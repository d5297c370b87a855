// The events of a finished backup run, for the notification rules: backup.succeeded, .partial
// (some destinations failed: never succeeded) and .failed, recorded with the run's outcome.
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { recordEvent } from "../events/record.ts";
import type { PlanRow } from "./plans-repo.ts";
import type { RunRow } from "./runs-repo.ts";

export function recordRunEvent(
  trx: Kysely<Database>,
  plan: Pick<PlanRow, "id" | "name" | "account_id">,
  run: Pick<RunRow, "id" | "description">,
  outcome: {
    status: "succeeded" | "partial" | "failed";
    bytes: number | null;
    error: string | null;
  },
) {
  const targetName = `${plan.name}: ${run.description}`.slice(0, 255);
  const error = (outcome.error ?? "unknown error").slice(0, 4000);
  const common = {
    accountId: plan.account_id,
    target: { type: "backup-plan", id: plan.id, name: plan.name },
  };
  switch (outcome.status) {
    case "succeeded":
      return recordEvent(trx, {
        ...common,
        type: "backup.succeeded",
        summary: `backup of ${targetName} succeeded`,
        fields: { backupId: run.id, targetName, sizeBytes: outcome.bytes },
      });
    case "partial":
      return recordEvent(trx, {
        ...common,
        type: "backup.partial",
        summary: `backup of ${targetName} did not reach every destination`,
        fields: { backupId: run.id, targetName, sizeBytes: outcome.bytes, error },
      });
    case "failed":
      return recordEvent(trx, {
        ...common,
        type: "backup.failed",
        summary: `backup of ${targetName} failed`,
        fields: { backupId: run.id, targetName, error },
      });
  }
}

/** The event of a finished test restore: backup.verified or backup.verify_failed. */
export function recordVerifyEvent(
  trx: Kysely<Database>,
  plan: Pick<PlanRow, "id" | "name" | "account_id"> | undefined,
  artifact: {
    id: string;
    account_id: string;
    plan_id: string | null;
    source_description: string;
  },
  outcome: { verified: boolean; message: string },
) {
  // an imported artifact may have no plan: the event is then the artifact's own
  const planName = plan?.name ?? artifact.plan_id ?? "imported";
  const targetName = `${planName}: ${artifact.source_description}`.slice(0, 255);
  const message = outcome.message.slice(0, 4000);
  const common = {
    accountId: artifact.account_id,
    target: artifact.plan_id
      ? { type: "backup-plan", id: artifact.plan_id, name: planName }
      : { type: "backup-artifact", id: artifact.id, name: targetName },
  };
  return outcome.verified
    ? recordEvent(trx, {
        ...common,
        type: "backup.verified",
        summary: `test restore of ${targetName} verified`,
        fields: { artifactId: artifact.id, targetName, message },
      })
    : recordEvent(trx, {
        ...common,
        type: "backup.verify_failed",
        summary: `test restore of ${targetName} failed`,
        fields: { artifactId: artifact.id, targetName, error: message },
      });
}
