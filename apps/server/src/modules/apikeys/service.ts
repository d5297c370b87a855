import type { apiKeyCreate } from "@steward/contracts";
import type { z } from "zod";
import { enforce, requireActor } from "../../access/decision.ts";
import { apiKeys } from "../../access/policies/api-keys.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Auth } from "../../auth/better-auth.ts";
import type { Db } from "../../db/open.ts";
import { AppError, invalid, notFound } from "../../lib/errors.ts";
import { checkCursor, pageOf } from "../../lib/sql.ts";
import * as users from "../users/repo.ts";
import * as repo from "./repo.ts";

/** `auth`: better-auth, loaded when a key is first created (services.ts) */
export function createApiKeysService({ db, auth }: { db: Db; auth: () => Promise<Auth> }) {
  const k = db.db;

  /** Whose keys: one's own, or anyone's for a super user. */
  function ownerFor(ctx: Ctx, userId: string | undefined): string {
    const actor = requireActor(ctx);
    if (userId && userId !== actor.userId) {
      enforce(ctx, apiKeys.canManage(ctx, userId));
      return userId;
    }
    if (actor.type === "system") throw invalid("userId", "is required from the command line");
    return actor.userId;
  }

  return {
    async list(ctx: Ctx, f: { userId?: string; limit: number; cursor?: string }) {
      const owner = ownerFor(ctx, f.userId);
      return pageOf(
        await repo.listKeys(k, owner, { ...f, cursor: checkCursor(f.cursor) }),
        f.limit,
        (x) => x.id,
      );
    },

    async create(ctx: Ctx, input: z.infer<typeof apiKeyCreate>) {
      const userId = ownerFor(ctx, input.userId);
      if (!(await users.userExists(k, userId)))
        throw invalid("userId", `no user with id ${userId}`);
      enforce(ctx, apiKeys.canIssue(ctx, "create"));
      const created = await (await auth()).api.createApiKey({
        body: {
          userId,
          name: input.name,
          expiresIn: input.expiresInDays ? input.expiresInDays * 86400 : undefined,
          metadata: { scopes: input.scopes },
        },
      });
      await recordAudit(k, ctx, {
        action: "apikey.create",
        targetType: "api_key",
        targetId: created.id,
        diff: {
          after: {
            name: input.name,
            userId,
            scopes: input.scopes,
            expiresInDays: input.expiresInDays ?? null,
          },
        },
      });
      const view = await repo.findKey(k, created.id);
      if (!view) throw new AppError("INTERNAL", "API key vanished");
      return { ...view, key: created.key };
    },

    async revoke(ctx: Ctx, id: string) {
      const key = await repo.findKey(k, id);
      if (!key || !apiKeys.canSee(ctx, key.userId).allowed) throw notFound(`API key ${id}`);
      enforce(ctx, apiKeys.canIssue(ctx, "revoke"));
      await k.transaction().execute(async (trx) => {
        await repo.deleteKey(trx, id);
        await recordAudit(trx, ctx, {
          action: "apikey.revoke",
          targetType: "api_key",
          targetId: id,
          diff: { before: { name: key.name, userId: key.userId } },
        });
      });
    },
  };
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;
