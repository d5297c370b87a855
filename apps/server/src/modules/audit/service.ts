import { sql } from "kysely";
import { listFilter } from "../../access/service.ts";
import type { Ctx } from "../../access/types.ts";
import type { Db } from "../../db/open.ts";
import { AppError } from "../../lib/errors.ts";
import { checkCursor, pageOf } from "../../lib/sql.ts";
import { type AuditFilter, listAudit } from "./repo.ts";

export function createAuditService({ db }: { db: Db }) {
  return {
    /** Super users see everything; others their own actions and events of accounts they administer. */
    async list(ctx: Ctx, f: AuditFilter) {
      const actor = ctx.actor;
      if (!actor) throw new AppError("UNAUTHENTICATED", "sign in or send an API key");
      let visible = null;
      if (
        !actor.isSuper ||
        (actor.scopes && !actor.scopes.includes("*") && !actor.scopes.includes("admin"))
      ) {
        const accounts = listFilter(ctx, "admin", { account: "audit_events.account_id" });
        const mine = actor.type === "api_key" ? actor.keyId : actor.userId;
        visible = sql<boolean>`(${accounts} or audit_events.actor_id = ${mine})`;
      }
      const rows = await listAudit(db.db, visible, { ...f, cursor: checkCursor(f.cursor) });
      return pageOf(rows, f.limit, (e) => e.id);
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
