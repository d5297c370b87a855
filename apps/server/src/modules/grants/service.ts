import type { GrantInput, grantListQuery } from "@steward/contracts";
import type { z } from "zod";
import { enforce } from "../../access/decision.ts";
import { grants } from "../../access/policies/grants.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Db } from "../../db/open.ts";
import { AppError, invalid, notFound } from "../../lib/errors.ts";
import { checkCursor, pageOf } from "../../lib/sql.ts";
import { requireAccount } from "../accounts/require.ts";
import { checkPrincipal } from "./principals.ts";
import * as repo from "./repo.ts";

/** A grant's change as the audit log records it. */
function grantEvent(
  action: string,
  id: string,
  grant: { principalType: string; principalId: string; scopeType: string; scopeId: string | null },
  role: { from: string; to: string },
) {
  return {
    action,
    targetType: "grant",
    targetId: id,
    accountId: grant.scopeType === "account" ? grant.scopeId : null,
    diff: {
      principal: `${grant.principalType}:${grant.principalId}`,
      scope: `${grant.scopeType}:${grant.scopeId ?? ""}`,
      role,
    },
  };
}

export function createGrantsService({ db }: { db: Db }) {
  const k = db.db;

  async function checkReferences(input: GrantInput): Promise<repo.GrantKey> {
    await checkPrincipal(k, input.principalType, input.principalId);
    if (input.scopeType === "global") {
      if (input.scopeId) throw invalid("scopeId", "must be empty for the global scope");
      return { ...input, scopeId: "" };
    }
    if (!input.scopeId) throw invalid("scopeId", `is required for the ${input.scopeType} scope`);
    if (input.scopeType === "account") {
      await requireAccount(k, input.scopeId, "scopeId");
    } else if (!input.scopeId.includes(":")) {
      throw invalid("scopeId", "must be <type>:<id> for the resource scope");
    }
    return { ...input, scopeId: input.scopeId };
  }

  return {
    async list(ctx: Ctx, f: z.infer<typeof grantListQuery> & { limit: number; cursor?: string }) {
      const scopeId = f.scopeType === "account" ? (f.scopeId ?? null) : null;
      enforce(ctx, grants.canManage(ctx, f.scopeType ?? "global", scopeId));
      const rows = await repo.listGrants(k, { ...f, cursor: checkCursor(f.cursor) });
      return pageOf(rows, f.limit, (g) => g.id);
    },

    async set(ctx: Ctx, input: GrantInput) {
      enforce(ctx, grants.canManage(ctx, input.scopeType, input.scopeId ?? null));
      const key = await checkReferences(input);
      const before = await repo.findGrantByKey(k, key);
      const id = await k.transaction().execute(async (trx) => {
        const gid = await repo.upsertGrant(trx, key, input.role);
        await recordAudit(
          trx,
          ctx,
          grantEvent("grant.set", gid, key, { from: before?.role ?? "inherit", to: input.role }),
        );
        return gid;
      });
      const grant = await repo.findGrant(k, id);
      if (!grant) throw new AppError("INTERNAL", "grant vanished");
      return grant;
    },

    async remove(ctx: Ctx, id: string) {
      const grant = await repo.findGrant(k, id);
      if (!grant) throw notFound(`grant ${id}`);
      enforce(ctx, grants.canManage(ctx, grant.scopeType, grant.scopeId));
      await k.transaction().execute(async (trx) => {
        await repo.deleteGrant(trx, id);
        await recordAudit(
          trx,
          ctx,
          grantEvent("grant.remove", id, grant, { from: grant.role, to: "inherit" }),
        );
      });
    },
  };
}

export type GrantsService = ReturnType<typeof createGrantsService>;
