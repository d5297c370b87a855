import {
  page,
  site,
  siteChange,
  siteCreate,
  siteDeleteQuery,
  siteListQuery,
  sitePlacements,
  siteUpdate,
} from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { errors, idParams, paged, typed } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function sitesRoutes(app: FastifyInstance, svc: Services) {
  const r = typed(app);
  const tags = ["sites"];
  r.get(
    "/api/v1/sites",
    {
      config: { action: "site.list" },
      schema: {
        tags,
        querystring: paged(siteListQuery.shape),
        response: { 200: page(site), ...errors },
      },
    },
    (req) => svc.sites.list(req.ctx, req.query),
  );
  r.post(
    "/api/v1/sites",
    {
      config: { action: "site.create" },
      schema: {
        tags,
        description:
          "Creates a site and enqueues the task applying it to its node, in one transaction.",
        body: siteCreate,
        response: { 201: siteChange, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.sites.create(req.ctx, req.body)),
  );
  r.get(
    "/api/v1/sites/placements",
    {
      config: { action: "site.placements" },
      schema: {
        tags,
        description:
          "The nodes the caller may place a new site on (id and name), for who may create sites; empty for anyone else.",
        response: { 200: sitePlacements, ...errors },
      },
    },
    (req) => svc.sites.placements(req.ctx),
  );
  r.get(
    "/api/v1/sites/:id",
    {
      config: { action: "site.read" },
      schema: { tags, params: idParams, response: { 200: site, ...errors } },
    },
    (req) => svc.sites.get(req.ctx, req.params.id),
  );
  r.patch(
    "/api/v1/sites/:id",
    {
      config: { action: "site.update" },
      schema: {
        tags,
        params: idParams,
        body: siteUpdate,
        response: { 200: siteChange, ...errors },
      },
    },
    (req) => svc.sites.update(req.ctx, req.params.id, req.body),
  );
  r.delete(
    "/api/v1/sites/:id",
    {
      config: { action: "site.delete" },
      schema: {
        tags,
        params: idParams,
        querystring: siteDeleteQuery,
        response: { 202: siteChange, ...errors },
      },
    },
    async (req, reply) =>
      reply
        .status(202)
        .send(await svc.sites.remove(req.ctx, req.params.id, req.query.keepFiles === "true")),
  );
  r.post(
    "/api/v1/sites/:id/retry",
    {
      config: { action: "site.retry" },
      schema: {
        tags,
        description: "Applies a failed site again, as it stands (409 unless it failed).",
        params: idParams,
        response: { 200: siteChange, ...errors },
      },
    },
    (req) => svc.sites.retry(req.ctx, req.params.id),
  );
  for (const action of ["suspend", "resume"] as const) {
    r.post(
      `/api/v1/sites/:id/${action}`,
      {
        config: { action: `site.${action}` },
        schema: { tags, params: idParams, response: { 200: siteChange, ...errors } },
      },
      (req) => svc.sites[action](req.ctx, req.params.id),
    );
  }
}
