import {
  site,
  siteChange,
  siteCreate,
  siteDeleteQuery,
  siteListQuery,
  sitePlacements,
  siteUpdate,
} from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { type AnyRoute, crudRoutes, declareRoutes, route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";
import { siteSettingsRoutes } from "./settings-routes.ts";

export function sitesRoutes(app: FastifyInstance, svc: Services) {
  const change = (verb: "retry" | "suspend" | "resume", description?: string): AnyRoute =>
    route({
      method: "POST",
      url: `/api/v1/sites/:id/${verb}`,
      action: `site.${verb}`,
      description,
      params: idParams,
      reply: siteChange,
      handle: ({ ctx, params }) => svc.sites[verb](ctx, params.id),
    });
  declareRoutes(
    app,
    ["sites"],
    [
      ...crudRoutes({
        base: "/api/v1/sites",
        noun: "site",
        item: site,
        listQuery: siteListQuery.shape,
        service: { list: svc.sites.list, get: svc.sites.get },
      }),
      route({
        method: "POST",
        url: "/api/v1/sites",
        action: "site.create",
        description:
          "Creates a site and enqueues the task applying it to its node, in one transaction.",
        body: siteCreate,
        reply: siteChange,
        status: 201,
        handle: ({ ctx, body }) => svc.sites.create(ctx, body),
      }),
      route({
        method: "GET",
        url: "/api/v1/sites/placements",
        action: "site.placements",
        description:
          "The nodes the caller may place a new site on (id and name), for who may create sites; empty for anyone else.",
        reply: sitePlacements,
        handle: ({ ctx }) => svc.sites.placements(ctx),
      }),
      route({
        method: "PATCH",
        url: "/api/v1/sites/:id",
        action: "site.update",
        params: idParams,
        body: siteUpdate,
        reply: siteChange,
        handle: ({ ctx, params, body }) => svc.sites.update(ctx, params.id, body),
      }),
      route({
        method: "DELETE",
        url: "/api/v1/sites/:id",
        action: "site.delete",
        params: idParams,
        query: siteDeleteQuery,
        reply: siteChange,
        status: 202,
        handle: ({ ctx, params, query }) =>
          svc.sites.remove(ctx, params.id, query.keepFiles === "true"),
      }),
      change("retry", "Applies a failed site again, as it stands (409 unless it failed)."),
      change("suspend"),
      change("resume"),
      route({
        method: "POST",
        url: "/api/v1/sites/:id/migrate-layout",
        action: "site.migrate-layout",
        description:
          "Moves a site into its account's layout (files in the account's main system user's home, PHP as its CGI user): a task copies the files, rewrites the pool, checks the site answers the same and moves it back otherwise. 409 naming layout when it is there already or the account has no main user on the node.",
        params: idParams,
        reply: siteChange,
        status: 202,
        handle: ({ ctx, params }) => svc.sites.migrateLayout(ctx, params.id),
      }),
    ],
  );
  siteSettingsRoutes(app, svc);
}
