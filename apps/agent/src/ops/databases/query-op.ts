// The agent operation `database.query`: one SQL console statement as a database's own user
// (the password the panel opened for this request) on this node's own server (agent.json
// `databases`: MariaDB through its socket, PostgreSQL at its login host) or an external server
// the node reaches; one page of rows answered. The drivers load with the first statement.
import type { OpHandler } from "../types.ts";

export const databaseQuery: OpHandler<"database.query"> = {
  name: "database.query",
  run: async (ctx, input) =>
    (await import("./query-node.ts")).runConsoleQuery(ctx, input, ctx.config.databases),
};
