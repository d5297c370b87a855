import { audit } from "../../access/policies/audit.ts";
import type { Ctx } from "../../access/types.ts";
import type { Db } from "../../db/open.ts";
import { checkCursor, pageOf } from "../../lib/sql.ts";
import { type AuditFilter, listAudit } from "./repo.ts";

export function createAuditService({ db }: { db: Db }) {
  return {
    /** The events the audit policy lets the caller read (docs/access.md). */
    async list(ctx: Ctx, f: AuditFilter) {
      const visible = audit.listScope(ctx);
      const rows = await listAudit(db.db, visible, { ...f, cursor: checkCursor(f.cursor) });
      return pageOf(rows, f.limit, (e) => e.id);
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
