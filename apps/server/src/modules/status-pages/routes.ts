import {
  incident,
  incidentCreate,
  incidentParams,
  incidentUpdate,
  statusPage,
  statusPageCreate,
  statusPageListQuery,
  statusPageUpdate,
  statusSlug,
} from "@steward/contracts/status-pages";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { crudRoutes, declareRoutes, route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";

/** The public page and its JSON: the slug, or the slug and ".json". */
const publicParams = z.strictObject({
  slug: z.string().transform((s, c) => {
    const json = s.endsWith(".json");
    const parsed = statusSlug.safeParse(json ? s.slice(0, -5) : s);
    if (!parsed.success) {
      c.addIssue({ code: "custom", message: "must be a status page's slug" });
      return z.NEVER;
    }
    return { slug: parsed.data, json };
  }),
});

export function statusPagesRoutes(app: FastifyInstance, svc: Services) {
  declareRoutes(
    app,
    ["status-pages"],
    [
      ...crudRoutes({
        base: "/api/v1/status-pages",
        noun: "status_page",
        item: statusPage,
        listQuery: statusPageListQuery.shape,
        create: statusPageCreate,
        createDescription:
          "Creates an account's public status page: a unique slug, a title, the account's monitors it lists under public names.",
        update: statusPageUpdate,
        deletable: true,
        service: svc.statusPages,
      }),
      route({
        method: "GET",
        url: "/api/v1/status-pages/:id/incidents",
        action: "status_page.incidents",
        description: "The page's incident notes, newest first (the last 50).",
        params: idParams,
        reply: z.array(incident),
        handle: ({ ctx, params }) => svc.statusPages.incidents(ctx, params.id),
      }),
      route({
        method: "POST",
        url: "/api/v1/status-pages/:id/incidents",
        action: "status_page.incident.create",
        params: idParams,
        body: incidentCreate,
        reply: incident,
        status: 201,
        handle: ({ ctx, params, body }) => svc.statusPages.addIncident(ctx, params.id, body),
      }),
      route({
        method: "PATCH",
        url: "/api/v1/status-pages/:id/incidents/:incident",
        action: "status_page.incident.update",
        params: incidentParams,
        body: incidentUpdate,
        reply: incident,
        handle: ({ ctx, params, body }) =>
          svc.statusPages.updateIncident(ctx, params.id, params.incident, body),
      }),
      route({
        method: "DELETE",
        url: "/api/v1/status-pages/:id/incidents/:incident",
        action: "status_page.incident.delete",
        params: incidentParams,
        handle: ({ ctx, params }) =>
          svc.statusPages.removeIncident(ctx, params.id, params.incident),
      }),
    ],
  );
  app.get(
    "/status/:slug",
    {
      config: { auth: "public", action: "status_page.public" },
      schema: { tags: ["status-pages"], hide: true, params: publicParams },
    },
    async (req, reply) => {
      const { slug, json } = (req.params as z.output<typeof publicParams>).slug;
      const found = await svc.publicStatus.get(slug);
      // an unknown slug says nothing more
      if (!found) return reply.status(404).type("text/plain").send("Not found");
      reply.header("etag", found.etag).header("cache-control", "public, max-age=30");
      if (req.headers["if-none-match"] === found.etag) return reply.status(304).send();
      if (json) return reply.type("application/json; charset=utf-8").send(found.json);
      return reply.type("text/html; charset=utf-8").send(found.html);
    },
  );
}
