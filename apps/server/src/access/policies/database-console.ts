// The SQL console of a database (issue 14): its server's readers see the database; reading
// through the console (a read-only transaction, as the database's own user) needs the operate
// role on the server, writing the admin role (its account's admins). Shared servers (no
// account): super users only.
import type { Decision } from "../decision.ts";
import { holds } from "../decision.ts";
import type { Ctx } from "../types.ts";
import { SYSTEM } from "./common.ts";
import type { DatabaseServerRef } from "./database-servers.ts";

const on = (role: "read" | "operate" | "admin") => (ctx: Ctx, server: DatabaseServerRef) =>
  server.account_id === null
    ? holds(ctx, SYSTEM, "system")
    : holds(
        ctx,
        { kind: "resource", type: "database-server", id: server.id, accountId: server.account_id },
        role,
      );

export const databaseConsole = {
  /** see the database (and one's own history of it); refused means "does not exist" */
  canSee: on("read"),
  /** run a statement in `mode` */
  canRun: (ctx: Ctx, server: DatabaseServerRef, mode: "read" | "write"): Decision =>
    on(mode === "read" ? "operate" : "admin")(ctx, server),
};
