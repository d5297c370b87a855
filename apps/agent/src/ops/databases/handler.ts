// The agent operation `database.apply`: one database action on this node's own server
// (agent.json `databases`: its admin socket) or on an external server the node reaches.
import type { OpHandler } from "../types.ts";
import { applyDatabaseAction } from "./apply.ts";

export const databaseApply: OpHandler<"database.apply"> = {
  name: "database.apply",
  run: (ctx, input) => applyDatabaseAction(ctx, input, ctx.config.databases),
};
