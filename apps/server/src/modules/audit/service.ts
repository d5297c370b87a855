import { sql } from "kysely";
import { listFilter } from "../../access/service.ts";
import type { Ctx } from "../../access/types.ts";
import type { Db } from "../../db/open.ts";
import { AppError } from "../../lib/errors.ts";
import { checkCursor, pageOf } from "../../lib/sql.ts";
import { findUserByEmail } from "../users/repo.ts";
import { namesOf } from "./names.ts";
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
      // the actor filter takes an email too: the user's id, or nobody's
      const actorId = f.actor?.includes("@")
        ? ((await findUserByEmail(db.db, f.actor))?.id ?? "-")
        : f.actor;
      const cursor = checkCursor(f.cursor);
      const rows = await listAudit(db.db, visible, { ...f, actor: actorId, cursor });
      const nameOf = await namesOf(
        db.db,
        rows.map((e) => ({ type: e.targetType, id: e.targetId })),
      );
      const named = rows.map((e) => ({ ...e, targetName: nameOf(e.targetType, e.targetId) }));
      return pageOf(named, f.limit, (e) => e.id);
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
