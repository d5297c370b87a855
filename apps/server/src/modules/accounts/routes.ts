import {
  account,
  accountCreate,
  accountListQuery,
  accountMember,
  accountMemberAdd,
  accountUpdate,
  page,
  principalType,
  v,
} from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { crudRoutes, declareRoutes, route } from "../../http/declare.ts";
import { idParams, paged } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function accountsRoutes(app: FastifyInstance, svc: Services) {
  const members = "/api/v1/accounts/:id/members";
  declareRoutes(
    app,
    ["accounts"],
    [
      ...crudRoutes({
        base: "/api/v1/accounts",
        noun: "account",
        item: account,
        listQuery: accountListQuery.shape,
        create: accountCreate,
        update: accountUpdate,
        deletable: true,
        service: svc.accounts,
      }),
      route({
        method: "GET",
        url: members,
        action: "account.member_list",
        params: idParams,
        query: paged({}),
        reply: page(accountMember),
        handle: ({ ctx, params, query }) => svc.accounts.members(ctx, params.id, query),
      }),
      route({
        method: "POST",
        url: members,
        action: "account.member_add",
        params: idParams,
        body: accountMemberAdd,
        handle: ({ ctx, params, body }) => svc.accounts.addMember(ctx, params.id, body),
      }),
      route({
        method: "DELETE",
        url: `${members}/:principalType/:principalId`,
        action: "account.member_remove",
        params: z.strictObject({ id: v.id, principalType, principalId: v.id }),
        handle: ({ ctx, params }) =>
          svc.accounts.removeMember(ctx, params.id, params.principalType, params.principalId),
      }),
    ],
  );
}
