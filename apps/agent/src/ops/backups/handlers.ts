// The agent operations `backup.restore` and `backup.verify`. Their code (and the database
// drivers) load with the first one, not with the agent.
import type { OpHandler } from "../types.ts";

export const backupRestore: OpHandler<"backup.restore"> = {
  name: "backup.restore",
  run: async (ctx, input) => (await import("./restore-run.ts")).restoreBackup(ctx, input),
};

export const backupVerify: OpHandler<"backup.verify"> = {
  name: "backup.verify",
  run: async (ctx, input) => (await import("./verify-run.ts")).verifyBackup(ctx, input),
};
