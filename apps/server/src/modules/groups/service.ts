import type { groupCreate, groupListQuery, groupUpdate } from "@steward/contracts";
import type { z } from "zod";
import { enforce } from "../../access/decision.ts";
import { groups, isSuperGroup } from "../../access/policies/groups.ts";
import { keepAnotherSuper } from "../../access/service.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import { diffOf } from "../../audit/redact.ts";
import type { Db } from "../../db/open.ts";
import { AppError, conflict, invalid, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { checkCursor, pageOf } from "../../lib/sql.ts";
import * as grants from "../grants/repo.ts";
import * as repo from "./repo.ts";

const immutable = () => conflict("the super group is built in: it cannot be renamed or deleted");

export function createGroupsService({ db }: { db: Db }) {
  const k = db.db;
  const system = (ctx: Ctx) => enforce(ctx, groups.canManage(ctx));

  async function mustFind(id: string) {
    const g = await repo.findGroup(k, id);
    if (!g) throw notFound(`group ${id}`);
    return g;
  }

  return {
    async list(ctx: Ctx, f: z.infer<typeof groupListQuery> & { limit: number; cursor?: string }) {
      system(ctx);
      return pageOf(
        await repo.listGroups(k, { ...f, cursor: checkCursor(f.cursor) }),
        f.limit,
        (g) => g.id,
      );
    },

    async get(ctx: Ctx, id: string) {
      system(ctx);
      return mustFind(id);
    },

    async create(ctx: Ctx, input: z.infer<typeof groupCreate>) {
      system(ctx);
      if (await repo.findGroup(k, input.name))
        throw conflict(`a group named ${input.name} exists`, "name");
      const id = newId("grp");
      await k.transaction().execute(async (trx) => {
        await trx
          .insertInto("groups")
          .values({
            id,
            name: input.name,
            description: input.description,
            builtin: 0,
            created_at: Date.now(),
          })
          .execute();
        await recordAudit(trx, ctx, {
          action: "group.create",
          targetType: "group",
          targetId: id,
          diff: { after: input },
        });
      });
      return mustFind(id);
    },

    async update(ctx: Ctx, id: string, patch: z.infer<typeof groupUpdate>) {
      system(ctx);
      const before = await mustFind(id);
      if (before.builtin) throw immutable();
      if (patch.name && patch.name !== before.name && (await repo.findGroup(k, patch.name))) {
        throw conflict(`a group named ${patch.name} exists`, "name");
      }
      await k.transaction().execute(async (trx) => {
        await trx.updateTable("groups").set(patch).where("id", "=", before.id).execute();
        await recordAudit(trx, ctx, {
          action: "group.update",
          targetType: "group",
          targetId: before.id,
          diff: diffOf(
            { name: before.name, description: before.description },
            { name: before.name, description: before.description, ...patch },
          ),
        });
      });
      return mustFind(before.id);
    },

    async remove(ctx: Ctx, id: string) {
      system(ctx);
      const before = await mustFind(id);
      if (before.builtin) throw immutable();
      await k.transaction().execute(async (trx) => {
        await grants.deleteGrantsOfPrincipal(trx, "group", before.id);
        await trx.deleteFrom("groups").where("id", "=", before.id).execute();
        await recordAudit(trx, ctx, {
          action: "group.delete",
          targetType: "group",
          targetId: before.id,
          diff: { before },
        });
      });
    },

    async members(ctx: Ctx, id: string, page: { limit: number; cursor?: string }) {
      system(ctx);
      const g = await mustFind(id);
      return pageOf(
        await repo.listMembers(k, g.id, { ...page, cursor: checkCursor(page.cursor) }),
        page.limit,
        (m) => m.userId,
      );
    },

    async addMember(ctx: Ctx, id: string, userId: string) {
      system(ctx);
      const g = await mustFind(id);
      const user = await k
        .selectFrom("auth_user")
        .select("id")
        .where("id", "=", userId)
        .executeTakeFirst();
      if (!user) throw invalid("userId", `no user with id ${userId}`);
      const already = await k
        .selectFrom("group_members")
        .select("user_id")
        .where("group_id", "=", g.id)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      if (already) return;
      await k.transaction().execute(async (trx) => {
        await trx
          .insertInto("group_members")
          .values({ group_id: g.id, user_id: userId, created_at: Date.now() })
          .execute();
        await recordAudit(trx, ctx, {
          action: "group.member_add",
          targetType: "group",
          targetId: g.id,
          diff: { userId },
        });
      });
    },

    async removeMember(ctx: Ctx, id: string, userId: string) {
      system(ctx);
      const g = await mustFind(id);
      const member = await k
        .selectFrom("group_members")
        .select("user_id")
        .where("group_id", "=", g.id)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      if (!member) throw notFound(`user ${userId} in group ${g.name}`);
      if (isSuperGroup(g.id)) await keepAnotherSuper(k, userId);
      await k.transaction().execute(async (trx) => {
        const r = await trx
          .deleteFrom("group_members")
          .where("group_id", "=", g.id)
          .where("user_id", "=", userId)
          .executeTakeFirst();
        if (Number(r.numDeletedRows) !== 1)
          throw new AppError("CONFLICT", "membership changed meanwhile; try again");
        await recordAudit(trx, ctx, {
          action: "group.member_remove",
          targetType: "group",
          targetId: g.id,
          diff: { userId },
        });
      });
    },
  };
}

export type GroupsService = ReturnType<typeof createGroupsService>;
