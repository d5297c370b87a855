import type { groupCreate, groupListQuery, groupUpdate } from "@steward/contracts";
import type { z } from "zod";
import { enforce } from "../../access/decision.ts";
import { groups, isSuperGroup } from "../../access/policies/groups.ts";
import { keepAnotherSuper } from "../../access/service.ts";
import type { Ctx } from "../../access/types.ts";
import { audited, changeOf, recordAudit } from "../../audit/log.ts";
import { diffOf } from "../../audit/redact.ts";
import type { Db } from "../../db/open.ts";
import { AppError, conflict, invalid, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { checkCursor, pageOf } from "../../lib/sql.ts";
import * as grants from "../grants/repo.ts";
import * as users from "../users/repo.ts";
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
      return repo.listGroups(k, { ...f, walk: repo.groupOrder(f.sort, f.cursor) });
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
      await audited(k, ctx, changeOf("group", id, "create", { after: input }), (trx) =>
        repo.insertGroup(trx, { id, name: input.name, description: input.description }),
      );
      return mustFind(id);
    },

    async update(ctx: Ctx, id: string, patch: z.infer<typeof groupUpdate>) {
      system(ctx);
      const before = await mustFind(id);
      if (before.builtin) throw immutable();
      if (patch.name && patch.name !== before.name && (await repo.findGroup(k, patch.name))) {
        throw conflict(`a group named ${patch.name} exists`, "name");
      }
      await audited(
        k,
        ctx,
        {
          action: "group.update",
          targetType: "group",
          targetId: before.id,
          diff: diffOf(
            { name: before.name, description: before.description },
            { name: before.name, description: before.description, ...patch },
          ),
        },
        (trx) => repo.updateGroup(trx, before.id, patch),
      );
      return mustFind(before.id);
    },

    async remove(ctx: Ctx, id: string) {
      system(ctx);
      const before = await mustFind(id);
      if (before.builtin) throw immutable();
      await audited(k, ctx, changeOf("group", before.id, "delete", { before }), async (trx) => {
        await grants.deleteGrantsOfPrincipal(trx, "group", before.id);
        await repo.deleteGroup(trx, before.id);
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
      if (!(await users.userExists(k, userId)))
        throw invalid("userId", `no user with id ${userId}`);
      if (await repo.isMember(k, g.id, userId)) return;
      await audited(k, ctx, changeOf("group", g.id, "member_add", { userId }), (trx) =>
        repo.addMember(trx, g.id, userId),
      );
    },

    async removeMember(ctx: Ctx, id: string, userId: string) {
      system(ctx);
      const g = await mustFind(id);
      if (!(await repo.isMember(k, g.id, userId)))
        throw notFound(`user ${userId} in group ${g.name}`);
      if (isSuperGroup(g.id)) await keepAnotherSuper(k, userId);
      await k.transaction().execute(async (trx) => {
        if (!(await repo.removeMember(trx, g.id, userId)))
          throw new AppError("CONFLICT", "membership changed meanwhile; try again");
        await recordAudit(trx, ctx, changeOf("group", g.id, "member_remove", { userId }));
      });
    },
  };
}

export type GroupsService = ReturnType<typeof createGroupsService>;
