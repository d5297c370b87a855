// backup.destination.test: "test destination" for a directory on this node (the panel cannot
// reach it): the same testDestination every kind passes, a probe object written, read back,
// compared and deleted. A failing test is an answer ({ok: false, step, message}), not a failed
// operation; the probe is removed either way (the directory, made when missing, stays).
import type { OpHandler } from "../types.ts";
import { testDestination } from "./destination.ts";
import { localDestination } from "./local.ts";

export const backupDestinationTest: OpHandler<"backup.destination.test"> = {
  name: "backup.destination.test",
  async run(ctx, input) {
    const outcome = await ctx.step(`test the destination ${input.settings.path}`, () =>
      testDestination(localDestination(input.settings)),
    );
    if (!outcome.ok) ctx.log("warn", `the test failed (${outcome.step}): ${outcome.message}`);
    return outcome;
  },
};
