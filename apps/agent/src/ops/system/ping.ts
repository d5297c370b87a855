// system.ping: runs the framework's path end to end without touching the node.
import type { OpHandler } from "../types.ts";

export const ping: OpHandler<"system.ping"> = {
  name: "system.ping",
  async run(ctx, input) {
    const at = await ctx.step("read the clock", () => new Date().toISOString());
    ctx.log("info", input.message ? `pong: ${input.message}` : "pong");
    return { at, ...(input.message !== undefined ? { message: input.message } : {}) };
  },
};
