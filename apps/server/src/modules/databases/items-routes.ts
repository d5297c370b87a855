// /api/v1/databases and /api/v1/database-users: parse, then delegate to the services (which
// authorize, run the action on the server and audit). Deletes name the item again in the
// query (`?confirm=<name>`).

import { page } from "@steward/contracts";
import {
  accountDatabaseSizes,
  confirmQuery,
  databaseCreate,
  databaseListQuery,
  databaseSize,
  databaseUserCreate,
  databaseUserListQuery,
  databaseUserPassword,
  databaseUserView,
  databaseUserWithPassword,
  databaseView,
  userGrants,
  userRevoke,
} from "@steward/contracts/databases";
import { z } from "zod";
import { crudRoutes, route } from "../../http/declare.ts";
import { idParams, paged } from "../../http/route.ts";
import type { Services } from "../../services.ts";

const nothing = z.object({});

export function databaseItemRoutes(svc: Services) {
  const users = "/api/v1/database-users/:id";
  return [
    ...crudRoutes({
      base: "/api/v1/databases",
      noun: "database",
      item: databaseView,
      listQuery: databaseListQuery.shape,
      service: svc.databaseItems,
    }),
    route({
      method: "POST",
      url: "/api/v1/databases",
      action: "database.create",
      description:
        "Creates a database on a server (charset/collation on MariaDB, encoding/locale/owner on PostgreSQL); the row exists only once the server has it.",
      body: databaseCreate,
      reply: databaseView,
      status: 201,
      handle: ({ ctx, body }) => svc.databaseItems.create(ctx, body),
    }),
    route({
      method: "GET",
      url: "/api/v1/databases/:id/sizes",
      action: "database.sizes",
      description:
        "The database's size history, newest first (the recurring task database.sizes adds a point each hour).",
      params: idParams,
      query: paged({}),
      reply: page(databaseSize),
      handle: ({ ctx, params, query }) => svc.databaseItems.sizes(ctx, params.id, query),
    }),
    route({
      method: "GET",
      url: "/api/v1/accounts/:id/database-sizes",
      action: "database.account-sizes",
      description:
        "The account's databases together: how many, their sizes' sum now and per UTC day over the last 30 days (each database's last size of the day).",
      params: idParams,
      reply: accountDatabaseSizes,
      handle: ({ ctx, params }) => svc.databaseItems.accountSizes(ctx, params.id),
    }),
    route({
      method: "DELETE",
      url: "/api/v1/databases/:id",
      action: "database.delete",
      description: "Drops the database on its server; `confirm` must be its name.",
      params: idParams,
      query: confirmQuery,
      reply: nothing,
      handle: async ({ ctx, params, query }) => {
        await svc.databaseItems.drop(ctx, params.id, query.confirm);
        return {};
      },
    }),
    ...crudRoutes({
      base: "/api/v1/database-users",
      noun: "database-user",
      item: databaseUserView,
      listQuery: databaseUserListQuery.shape,
      service: svc.databaseUsers,
    }),
    route({
      method: "POST",
      url: "/api/v1/database-users",
      action: "database-user.create",
      description:
        "Creates a user with the given or a generated password (in this answer only; sealed at rest) and its grants; a failed GRANT leaves no user and no row.",
      body: databaseUserCreate,
      reply: databaseUserWithPassword,
      status: 201,
      handle: ({ ctx, body }) => svc.databaseUsers.create(ctx, body),
    }),
    route({
      method: "POST",
      url: `${users}/rotate`,
      action: "database-user.rotate",
      description:
        "Sets a new generated password, logs in with it and checks the old one is refused; answers the new one once.",
      params: idParams,
      reply: databaseUserWithPassword,
      handle: ({ ctx, params }) => svc.databaseUsers.rotate(ctx, params.id),
    }),
    route({
      method: "GET",
      url: `${users}/password`,
      action: "database-user.password",
      description: "The user's current password, for the server's admins only (audited).",
      params: idParams,
      reply: databaseUserPassword,
      handle: ({ ctx, params }) => svc.databaseUsers.password(ctx, params.id),
    }),
    route({
      method: "POST",
      url: `${users}/grants`,
      action: "database-user.grant",
      description: "Grants databases of its server to the user (all, read-only or custom).",
      params: idParams,
      body: userGrants,
      reply: databaseUserView,
      handle: ({ ctx, params, body }) => svc.databaseUsers.grant(ctx, params.id, body),
    }),
    route({
      method: "POST",
      url: `${users}/revoke`,
      action: "database-user.revoke",
      description: "Takes every privilege of the user on these databases.",
      params: idParams,
      body: userRevoke,
      reply: databaseUserView,
      handle: ({ ctx, params, body }) => svc.databaseUsers.revoke(ctx, params.id, body.databaseIds),
    }),
    route({
      method: "DELETE",
      url: users,
      action: "database-user.delete",
      description: "Drops the user on its server; `confirm` must be its name.",
      params: idParams,
      query: confirmQuery,
      reply: nothing,
      handle: async ({ ctx, params, query }) => {
        await svc.databaseUsers.drop(ctx, params.id, query.confirm);
        return {};
      },
    }),
  ];
}
