// The backup destinations API (issue 15): create with a "test destination" first (a failing
// test refuses the create unless saveAnyway), read without secrets, test again, delete.
import { z } from "zod";
import { sortQuery } from "../pagination.ts";
import { id, isoTime, label, text } from "../validators.ts";
import { destinationKinds, destinationSettings } from "./destinations.ts";

export const backupDestinationCreate = z.strictObject({
  name: label(100),
  /** the account whose backups go there; none: a shared destination only super admins manage */
  accountId: id.nullable().default(null),
  settings: destinationSettings,
  /** keep the destination even when its test fails */
  saveAnyway: z.boolean().default(false),
});
export type BackupDestinationCreate = z.output<typeof backupDestinationCreate>;

export const destinationTest = z.object({
  ok: z.boolean(),
  /**
   * the step that failed: write, read, compare, delete; policy (the outbound policy); node (a
   * node's agent could not be asked); untested (a node's directory the caller may not test)
   */
  step: z.enum(["write", "read", "compare", "delete", "policy", "node", "untested"]).nullable(),
  message: text(1000).nullable(),
  at: isoTime,
});
export type DestinationTest = z.output<typeof destinationTest>;

/** A destination as answered: its settings without the secret fields. */
export const backupDestination = z.object({
  id,
  accountId: id.nullable(),
  name: z.string(),
  kind: z.enum(destinationKinds),
  settings: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  /** the secret fields that are set (sealed at rest, never answered) */
  secrets: z.array(z.string()),
  lastTest: destinationTest.nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type BackupDestination = z.output<typeof backupDestination>;

export const backupDestinationListQuery = z.strictObject({
  sort: sortQuery(["name", "createdAt"]),
  account: id.optional(),
});
