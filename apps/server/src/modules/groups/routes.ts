import {
  group,
  groupCreate,
  groupListQuery,
  groupMemberAdd,
  groupUpdate,
  page,
  v,
} from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { crudRoutes, declareRoutes, route } from "../../http/declare.ts";
import { idParams, paged } from "../../http/route.ts";
import type { Services } from "../../services.ts";

const member = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  addedAt: z.string(),
});

export function groupsRoutes(app: FastifyInstance, svc: Services) {
  const members = "/api/v1/groups/:id/members";
  declareRoutes(
    app,
    ["groups"],
    [
      ...crudRoutes({
        base: "/api/v1/groups",
        noun: "group",
        item: group,
        listQuery: groupListQuery.shape,
        create: groupCreate,
        update: groupUpdate,
        deletable: true,
        service: svc.groups,
      }),
      route({
        method: "GET",
        url: members,
        action: "group.member_list",
        params: idParams,
        query: paged({}),
        reply: page(member),
        handle: ({ ctx, params, query }) => svc.groups.members(ctx, params.id, query),
      }),
      route({
        method: "POST",
        url: members,
        action: "group.member_add",
        params: idParams,
        body: groupMemberAdd,
        handle: ({ ctx, params, body }) => svc.groups.addMember(ctx, params.id, body.userId),
      }),
      route({
        method: "DELETE",
        url: `${members}/:userId`,
        action: "group.member_remove",
        params: z.strictObject({ id: v.id, userId: v.id }),
        handle: ({ ctx, params }) => svc.groups.removeMember(ctx, params.id, params.userId),
      }),
    ],
  );
}
