// cron.collect: the panel takes the scheduled runs cron-exec left in the spool (spool.ts),
// oldest first, and acknowledges the ones it recorded in its next call (they are removed
// then, so a run the panel did not record is answered again).
import { type CronCollectOutput, cronCollectInput } from "@steward/contracts/hosting";
import type { OpHandler } from "../types.ts";
import { checked } from "./render.ts";
import { takeSpool } from "./spool.ts";

export const cronCollect: OpHandler<"cron.collect"> = {
  name: "cron.collect",
  async run(ctx, unchecked): Promise<CronCollectOutput> {
    const input = checked(cronCollectInput, unchecked);
    const out = await ctx.step("read the spool", () =>
      takeSpool(ctx.config, input.ack, input.limit),
    );
    if (input.ack.length) ctx.changed();
    return out;
  },
};
