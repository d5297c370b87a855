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
