// backup.destination.test: "test destination" for a directory on the node, run by its agent
// (write, read back, compare and delete a probe object), as the panel runs it for the kinds it
// reaches itself.
import { z } from "zod";
import { localDestinationSettings } from "../backups/destinations.ts";

export const backupDestinationTestInput = z.strictObject({ settings: localDestinationSettings });

export const backupDestinationTestOutput = z.object({
  ok: z.boolean(),
  /** the step that failed */
  step: z.enum(["write", "read", "compare", "delete"]).optional(),
  message: z.string().optional(),
});
