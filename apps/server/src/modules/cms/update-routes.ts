import {
  cmsBulkUpdate,
  cmsBulkUpdatePlan,
  cmsSitePolicy,
  cmsUpdateHistoryEntry,
  cmsUpdateShotParams,
  updatePolicy,
  updatePolicyListQuery,
  updatePolicySet,
} from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { declareRoutes, route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function cmsUpdateRoutes(app: FastifyInstance, svc: Services) {
  declareRoutes(
    app,
    ["cms"],
    [
      route({
        method: "GET",
        url: "/api/v1/update-policies",
        action: "cms_policy.list",
        description:
          "An account's update policies: its defaults and its sites' (all, or one site's with `site`).",
        query: updatePolicyListQuery,
        reply: z.object({ items: z.array(updatePolicy) }),
        handle: async ({ ctx, query }) => ({
          items: await svc.cmsUpdates.listPolicies(ctx, query),
        }),
      }),
      route({
        method: "PUT",
        url: "/api/v1/update-policies",
        action: "cms_policy.set",
        description:
          "Sets the policy of a scope (the account's defaults, or a site's; all updates or one extension), replacing the one it had.",
        body: updatePolicySet,
        reply: updatePolicy,
        handle: ({ ctx, body }) => svc.cmsUpdates.setPolicy(ctx, body),
      }),
      route({
        method: "DELETE",
        url: "/api/v1/update-policies/:id",
        action: "cms_policy.remove",
        params: idParams,
        handle: ({ ctx, params }) => svc.cmsUpdates.removePolicy(ctx, params.id),
      }),
      route({
        method: "GET",
        url: "/api/v1/cms-sites/:id/policy",
        action: "cms_site.policy",
        description:
          "What applies to the site: level, window (its next opening in the site's time zone), keyword, each offer judged.",
        params: idParams,
        reply: cmsSitePolicy,
        handle: ({ ctx, params }) => svc.cmsUpdates.sitePolicy(ctx, params.id),
      }),
      route({
        method: "GET",
        url: "/api/v1/cms-sites/:id/history",
        action: "cms_site.history",
        description: "The site's last 100 updates, newest first, with their outcome.",
        params: idParams,
        reply: z.object({ items: z.array(cmsUpdateHistoryEntry) }),
        handle: async ({ ctx, params }) => ({
          items: await svc.cmsUpdates.history(ctx, params.id),
        }),
      }),
      route({
        method: "POST",
        url: "/api/v1/cms-sites/updates",
        action: "cms_site.bulk_update",
        description:
          "Bulk update: what each site's upgrade task would apply and when (windows, 2 minutes apart); `preview: false` pushes the tasks.",
        body: cmsBulkUpdate,
        reply: cmsBulkUpdatePlan,
        handle: ({ ctx, body }) => svc.cmsUpdates.bulk(ctx, body),
      }),
    ],
  );
  app.get(
    "/api/v1/cms-sites/:id/history/:entry/shots/:kind",
    {
      config: { action: "cms_site.history_shot" },
      schema: {
        tags: ["cms"],
        description:
          "One image of an update's visual check (PNG): the home page before, after, or their diff.",
        params: cmsUpdateShotParams,
      },
    },
    async (req, reply) => {
      const { id, entry, kind } = req.params as z.output<typeof cmsUpdateShotParams>;
      const png = await svc.cmsUpdates.shot(req.ctx, id, entry, kind);
      return reply
        .type("image/png")
        .header("cache-control", "private, max-age=86400, immutable")
        .send(png);
    },
  );
}
