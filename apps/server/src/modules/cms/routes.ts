import {
  cmsDiagnosis,
  cmsSiteAnswer,
  cmsSiteCreate,
  cmsSiteListQuery,
  cmsSitePatch,
  cmsTaskStarted,
  cmsUpdateRequest,
  cmsUpdates,
} from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { declareRoutes, route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";
import { connectorZip } from "./connector-zip.ts";
import { cmsToolRoutes } from "./tools-routes.ts";

export function cmsRoutes(app: FastifyInstance, svc: Services) {
  cmsToolRoutes(app, svc);
  declareRoutes(
    app,
    ["cms"],
    [
      route({
        method: "GET",
        url: "/api/v1/cms-sites",
        action: "cms_site.list",
        description: "An account's CMS sites with their cached versions and update counts.",
        query: cmsSiteListQuery,
        reply: z.object({ items: z.array(cmsSiteAnswer) }),
        handle: async ({ ctx, query }) => ({ items: await svc.cms.list(ctx, query.account) }),
      }),
      route({
        method: "GET",
        url: "/api/v1/cms-sites/:id",
        action: "cms_site.get",
        params: idParams,
        reply: cmsSiteAnswer,
        handle: ({ ctx, params }) => svc.cms.get(ctx, params.id),
      }),
      route({
        method: "POST",
        url: "/api/v1/cms-sites",
        action: "cms_site.create",
        description:
          "Adds a WordPress site (the address checked by the outbound policy), diagnoses its connection and saves it whatever the diagnosis says.",
        body: cmsSiteCreate,
        reply: cmsSiteAnswer,
        status: 201,
        handle: ({ ctx, body }) => svc.cms.create(ctx, body),
      }),
      route({
        method: "PATCH",
        url: "/api/v1/cms-sites/:id",
        action: "cms_site.link",
        description:
          "Links the site to the Steward site hosting it and the backup plan of that site's files and database (the upgrade task's restore point), or unlinks it with nulls.",
        params: idParams,
        body: cmsSitePatch,
        reply: cmsSiteAnswer,
        handle: ({ ctx, params, body }) => svc.cms.patch(ctx, params.id, body),
      }),
      route({
        method: "POST",
        url: "/api/v1/cms-sites/:id/diagnose",
        action: "cms_site.diagnose",
        description:
          "Diagnoses the connection: each problem with what is wrong, a fix and a docs link.",
        params: idParams,
        reply: cmsDiagnosis,
        handle: ({ ctx, params }) => svc.cms.diagnose(ctx, params.id),
      }),
      route({
        method: "POST",
        url: "/api/v1/cms-sites/:id/refresh",
        action: "cms_site.refresh",
        description: "Refreshes the site's versions and offers now (a cms.refresh task).",
        params: idParams,
        reply: cmsTaskStarted,
        status: 202,
        handle: ({ ctx, params }) => svc.cms.refresh(ctx, params.id),
      }),
      route({
        method: "POST",
        url: "/api/v1/cms-sites/refresh",
        action: "cms_site.refresh_all",
        description:
          "Refreshes every site of the account in one cms.refresh-fleet task, at most K requests at a time per remote host.",
        body: cmsSiteListQuery,
        reply: cmsTaskStarted,
        status: 202,
        handle: ({ ctx, body }) => svc.cms.fleet.refreshAll(ctx, body.account),
      }),
      route({
        method: "GET",
        url: "/api/v1/cms-sites/:id/updates",
        action: "cms_site.updates",
        description: "The updates offered at the last refresh.",
        params: idParams,
        reply: cmsUpdates,
        handle: ({ ctx, params }) => svc.cms.updates(ctx, params.id),
      }),
      route({
        method: "POST",
        url: "/api/v1/cms-sites/:id/update",
        action: "cms_site.update",
        description:
          "Applies an update (core, a plugin or a theme): the site's run-once, high-priority upgrade task pushed to run now (restore point, update, HTTP check, rollback when it fails).",
        params: idParams,
        body: cmsUpdateRequest,
        reply: cmsTaskStarted,
        status: 202,
        handle: ({ ctx, params, body }) => svc.cms.update(ctx, params.id, body),
      }),
      route({
        method: "DELETE",
        url: "/api/v1/cms-sites/:id",
        action: "cms_site.remove",
        params: idParams,
        handle: ({ ctx, params }) => svc.cms.remove(ctx, params.id),
      }),
    ],
  );
  app.get(
    "/api/v1/cms-sites/connector/wordpress.zip",
    {
      config: { action: "cms_site.connector" },
      schema: {
        tags: ["cms"],
        description: "The Steward connector plugin for WordPress, to upload in Plugins → Add New.",
      },
    },
    async (_req, reply) =>
      reply
        .type("application/zip")
        .header("content-disposition", 'attachment; filename="steward-connector.zip"')
        .send(connectorZip()),
  );
}
