import type {
  accountCreate,
  accountListQuery,
  accountMemberAdd,
  accountUpdate,
} from "@steward/contracts";
import type { z } from "zod";
import { type Decision, enforce } from "../../access/decision.ts";
import { accounts } from "../../access/policies/accounts.ts";
import type { Ctx } from "../../access/types.ts";
import { audited, changeOf, recordAudit } from "../../audit/log.ts";
import { diffOf } from "../../audit/redact.ts";
import type { Db } from "../../db/open.ts";
import { AppError, conflict, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { checkCursor, pageOf } from "../../lib/sql.ts";
import { checkPrincipal } from "../grants/principals.ts";
import * as grants from "../grants/repo.ts";
import { ownedBy } from "./owned.ts";
import * as repo from "./repo.ts";

export function createAccountsService({ db }: { db: Db }) {
  const k = db.db;

  /** An account as the caller sees it, with what the console may offer them on it. */
  const view = <A extends { id: string }>(ctx: Ctx, a: A) => ({
    ...a,
    can: { manage: accounts.canManage(ctx, a.id).allowed },
  });

  async function mustFind(
    ctx: Ctx,
    id: string,
    decide: (ctx: Ctx, accountId: string) => Decision = accounts.canRead,
  ) {
    const account = await repo.findAccount(k, id);
    // Not visible and not existing look the same to someone without read access.
    if (!account || !accounts.canRead(ctx, account.id).allowed) throw notFound(`account ${id}`);
    enforce(ctx, decide(ctx, account.id));
    return account;
  }

  return {
    mustFind,

    async list(ctx: Ctx, f: z.infer<typeof accountListQuery> & { limit: number; cursor?: string }) {
      const scope = { where: accounts.listScope(ctx), walks: accounts.listWalks(ctx) };
      const page = await repo.listAccounts(k, scope, {
        ...f,
        walk: repo.accountOrder(f.sort, f.cursor),
      });
      return { ...page, items: page.items.map((a) => view(ctx, a)) };
    },

    get: async (ctx: Ctx, id: string) => view(ctx, await mustFind(ctx, id)),

    async create(ctx: Ctx, input: z.infer<typeof accountCreate>) {
      enforce(ctx, accounts.canCreate(ctx));
      if (await repo.findAccount(k, input.slug))
        throw conflict(`an account with slug ${input.slug} exists`, "slug");
      const id = newId("acc");
      await audited(k, ctx, changeOf("account", id, "create", { after: input }, id), (trx) =>
        repo.insertAccount(trx, { id, ...input }),
      );
      const account = await repo.findAccount(k, id);
      if (!account) throw new AppError("INTERNAL", "account vanished");
      return view(ctx, account);
    },

    async update(ctx: Ctx, id: string, patch: z.infer<typeof accountUpdate>) {
      const before = await mustFind(ctx, id, accounts.canManage);
      await audited(
        k,
        ctx,
        changeOf("account", before.id, "update", diffOf({ name: before.name }, patch), before.id),
        (trx) => repo.updateAccount(trx, before.id, patch),
      );
      return view(ctx, await mustFind(ctx, before.id));
    },

    /**
     * Deletes an account that owns nothing: one that still owns sites, apps, zones, databases,
     * backups, monitors, tasks to run… (owned.ts) is refused (409, counting each kind), and
     * nothing changes; the foreign key from sites catches a site created meanwhile.
     */
    async remove(ctx: Ctx, id: string) {
      const before = await mustFind(ctx, id, accounts.canDelete);
      await k.transaction().execute(async (trx) => {
        const kinds = await ownedBy(trx, before.id);
        if (kinds.length) throw stillOwns(before.slug, kinds);
        await grants.deleteGrantsOnScope(trx, "account", before.id);
        await repo.deleteAccount(trx, before.id).catch((e: unknown) => {
          throw /foreign key/i.test(String((e as Error).message))
            ? stillOwns(before.slug, [{ field: "sites", label: "sites", n: 1 }])
            : e;
        });
        await recordAudit(
          trx,
          ctx,
          changeOf("account", before.id, "delete", { before }, before.id),
        );
      });
    },

    /** Members are the principals holding a role at the account's scope. */
    async members(ctx: Ctx, id: string, page: { limit: number; cursor?: string }) {
      const account = await mustFind(ctx, id);
      const rows = await grants.listGrants(k, {
        scopeType: "account",
        scopeId: account.id,
        limit: page.limit,
        cursor: checkCursor(page.cursor),
      });
      return pageOf(
        rows.map((g) => ({
          principalType: g.principalType,
          principalId: g.principalId,
          name: g.principalName,
          role: g.role,
          grantId: g.id,
        })),
        page.limit,
        (m) => m.grantId,
      );
    },

    async addMember(ctx: Ctx, id: string, input: z.infer<typeof accountMemberAdd>) {
      const account = await mustFind(ctx, id, accounts.canManage);
      await checkPrincipal(k, input.principalType, input.principalId);
      const key = {
        principalType: input.principalType,
        principalId: input.principalId,
        scopeType: "account" as const,
        scopeId: account.id,
      };
      await k.transaction().execute(async (trx) => {
        const gid = await grants.upsertGrant(trx, key, input.role);
        await recordAudit(trx, ctx, {
          action: "account.member_add",
          targetType: "grant",
          targetId: gid,
          accountId: account.id,
          diff: { principal: `${input.principalType}:${input.principalId}`, role: input.role },
        });
      });
    },

    async removeMember(ctx: Ctx, id: string, principalType: "user" | "group", principalId: string) {
      const account = await mustFind(ctx, id, accounts.canManage);
      const g = await grants.findGrantByKey(k, {
        principalType,
        principalId,
        scopeType: "account",
        scopeId: account.id,
      });
      if (!g) throw notFound(`member ${principalType}:${principalId} of account ${account.slug}`);
      await audited(
        k,
        ctx,
        {
          action: "account.member_remove",
          targetType: "grant",
          targetId: g.id,
          accountId: account.id,
          diff: {
            principal: `${principalType}:${principalId}`,
            role: { from: g.role, to: "inherit" },
          },
        },
        (trx) => grants.deleteGrant(trx, g.id),
      );
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;

/** 409 naming what the account still owns: "sites: 3, tasks: 1". */
function stillOwns(slug: string, kinds: { field: string; label: string; n: number }[]) {
  const list = kinds.map((k) => `${k.label}: ${k.n}`).join(", ");
  return new AppError(
    "CONFLICT",
    `account ${slug} still owns resources (${list}); delete or move them first`,
    kinds.map((k) => ({ field: k.field, message: `${k.n} owned by the account` })),
  );
}
