// The agent operation `database.apply`: one database action on this node's own server
// (agent.json `databases`: its admin socket) or on an external server the node reaches. The
// drivers (mysql2, pg) load with the first action, not with the agent.
import type { OpHandler } from "../types.ts";

export const databaseApply: OpHandler<"database.apply"> = {
  name: "database.apply",
  run: async (ctx, input) =>
    (await import("./apply.ts")).applyDatabaseAction(ctx, input, ctx.config.databases),
};
