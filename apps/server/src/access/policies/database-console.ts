// The SQL console of a database (issue 14): its server's readers see the database; reading
// through the console (a read-only transaction, as the database's own user) needs the operate
// role on the server, writing the admin role (its account's admins). Shared servers (no
// account): super users only.
import type { Decision } from "../decision.ts";
import type { Ctx } from "../types.ts";
import { type DatabaseServerRef, onServer } from "./database-servers.ts";

export const databaseConsole = {
  /** see the database (and one's own history of it); refused means "does not exist" */
  canSee: onServer("read"),
  /** run a statement in `mode` */
  canRun: (ctx: Ctx, server: DatabaseServerRef, mode: "read" | "write"): Decision =>
    onServer(mode === "read" ? "operate" : "admin")(ctx, server),
};
