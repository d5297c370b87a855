import type { GrantInput, grantListQuery } from "@steward/contracts";
import type { z } from "zod";
import { enforce } from "../../access/decision.ts";
import { grants } from "../../access/policies/grants.ts";
import { isSuperGroup } from "../../access/policies/groups.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Db } from "../../db/open.ts";
import { AppError, invalid, notFound } from "../../lib/errors.ts";
import { checkCursor, pageOf } from "../../lib/sql.ts";
import * as repo from "./repo.ts";

export function createGrantsService({ db }: { db: Db }) {
  const k = db.db;

  async function checkReferences(input: GrantInput): Promise<repo.GrantKey> {
    if (input.principalType === "group" && isSuperGroup(input.principalId)) {
      throw invalid("principalId", "the super group is admin everywhere; it takes no grants");
    }
    const principal =
      input.principalType === "user"
        ? await k
            .selectFrom("auth_user")
            .select("id")
            .where("id", "=", input.principalId)
            .executeTakeFirst()
        : await k
            .selectFrom("groups")
            .select("id")
            .where("id", "=", input.principalId)
            .executeTakeFirst();
    if (!principal)
      throw invalid("principalId", `no ${input.principalType} with id ${input.principalId}`);
    if (input.scopeType === "global") {
      if (input.scopeId) throw invalid("scopeId", "must be empty for the global scope");
      return { ...input, scopeId: "" };
    }
    if (!input.scopeId) throw invalid("scopeId", `is required for the ${input.scopeType} scope`);
    if (input.scopeType === "account") {
      const acc = await k
        .selectFrom("accounts")
        .select("id")
        .where("id", "=", input.scopeId)
        .executeTakeFirst();
      if (!acc) throw invalid("scopeId", `no account with id ${input.scopeId}`);
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
        await recordAudit(trx, ctx, {
          action: "grant.set",
          targetType: "grant",
          targetId: gid,
          accountId: input.scopeType === "account" ? key.scopeId : null,
          diff: {
            principal: `${key.principalType}:${key.principalId}`,
            scope: `${key.scopeType}:${key.scopeId}`,
            role: { from: before?.role ?? "inherit", to: input.role },
          },
        });
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
        await recordAudit(trx, ctx, {
          action: "grant.remove",
          targetType: "grant",
          targetId: id,
          accountId: grant.scopeType === "account" ? grant.scopeId : null,
          diff: {
            principal: `${grant.principalType}:${grant.principalId}`,
            scope: `${grant.scopeType}:${grant.scopeId ?? ""}`,
            role: { from: grant.role, to: "inherit" },
          },
        });
      });
    },
  };
}

export type GrantsService = ReturnType<typeof createGrantsService>;
