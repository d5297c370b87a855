import {
  confirmQuery,
  connectionReport,
  databaseAdopt,
  databaseAdopted,
  databaseInventory,
  databaseServer,
  databaseServerCreate,
  databaseServerCreated,
  databaseServerListQuery,
  databaseServerUpdate,
  databaseServerUpdated,
} from "@steward/contracts/databases";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { crudRoutes, declareRoutes, route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";
import { databaseItemRoutes } from "./items-routes.ts";

export function databasesRoutes(app: FastifyInstance, svc: Services) {
  declareRoutes(
    app,
    ["databases"],
    [
      ...crudRoutes({
        base: "/api/v1/database-servers",
        noun: "database-server",
        item: databaseServer,
        listQuery: databaseServerListQuery.shape,
        service: svc.databases,
      }),
      route({
        method: "POST",
        url: "/api/v1/database-servers",
        action: "database-server.create",
        description:
          "Adds a database server (on a node, or external with its admin password sealed at rest) and answers its connection test; a failing test refuses the create unless saveAnyway.",
        body: databaseServerCreate,
        reply: databaseServerCreated,
        status: 201,
        handle: ({ ctx, body }) => svc.databases.create(ctx, body),
      }),
      route({
        method: "PATCH",
        url: "/api/v1/database-servers/:id",
        action: "database-server.update",
        description:
          "Renames a server, or changes an external server's connection (host, port, admin user and password, TLS): tested again first, a failing test refuses the change unless saveAnyway.",
        params: idParams,
        body: databaseServerUpdate,
        reply: databaseServerUpdated,
        handle: ({ ctx, params, body }) => svc.databases.update(ctx, params.id, body),
      }),
      route({
        method: "DELETE",
        url: "/api/v1/database-servers/:id",
        action: "database-server.delete",
        description:
          "Forgets the server (nothing on it is touched); `confirm` must be its name. Refused (409) while Steward manages databases or users on it.",
        params: idParams,
        query: confirmQuery,
        reply: z.object({}),
        handle: async ({ ctx, params, query }) => {
          await svc.databases.drop(ctx, params.id, query.confirm);
          return {};
        },
      }),
      route({
        method: "POST",
        url: "/api/v1/database-servers/:id/test",
        action: "database-server.test",
        description:
          "Tests the connection now: version, size, and what is wrong in words (refused, TLS, authentication, the missing privilege).",
        params: idParams,
        reply: connectionReport,
        handle: ({ ctx, params }) => svc.databases.test(ctx, params.id),
      }),
      route({
        method: "GET",
        url: "/api/v1/database-servers/:id/inventory",
        action: "database-server.inventory",
        description:
          "The databases (with sizes) and users that exist on the server, each with its Steward id or null when Steward does not know it.",
        params: idParams,
        reply: databaseInventory,
        handle: ({ ctx, params }) => svc.databases.inventory(ctx, params.id),
      }),
      route({
        method: "POST",
        url: "/api/v1/database-servers/:id/adopt",
        action: "database-server.adopt",
        description:
          "Takes existing databases and users into Steward by name without touching them (an adopted user's password is unknown until rotated).",
        params: idParams,
        body: databaseAdopt,
        reply: databaseAdopted,
        handle: ({ ctx, params, body }) => svc.databases.adopt(ctx, params.id, body),
      }),
      ...databaseItemRoutes(svc),
    ],
  );
}
