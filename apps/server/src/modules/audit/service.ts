import { audit } from "../../access/policies/audit.ts";
import type { Ctx } from "../../access/types.ts";
import type { Db } from "../../db/open.ts";
import { checkCursor, pageOf } from "../../lib/sql.ts";
import { findUserByEmail } from "../users/repo.ts";
import { namesOf } from "./names.ts";
import { type AuditFilter, listAudit } from "./repo.ts";

export function createAuditService({ db }: { db: Db }) {
  return {
    /** The events the audit policy lets the caller read (docs/access.md). */
    async list(ctx: Ctx, f: AuditFilter) {
      // the actor filter takes an email too: the user's id, or nobody's
      const actorId = f.actor?.includes("@")
        ? ((await findUserByEmail(db.db, f.actor))?.id ?? "-")
        : f.actor;
      const narrowed = { account: f.account, actor: actorId, target: f.target };
      const scope = { where: audit.listScope(ctx), walks: audit.narrowWalks(ctx, narrowed) };
      const cursor = checkCursor(f.cursor);
      const events = await listAudit(db.db, scope, { ...f, actor: actorId, cursor });
      const names = await namesOf(
        db.db,
        events.map((e) => ({ type: e.targetType, id: e.targetId })),
      );
      // the events are this request's own, made by listAudit: named in place, not copied
      for (const e of events) e.targetName = names.name(e.targetType, e.targetId);
      return pageOf(events, f.limit, (e) => e.id);
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
