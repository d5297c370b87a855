import {
  tunnel,
  tunnelConfig,
  tunnelCreate,
  tunnelRoute,
  tunnelRouteAdded,
  tunnelRouteCreate,
  tunnelRouteParams,
  tunnelStatus,
} from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { declareRoutes, route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function tunnelsRoutes(app: FastifyInstance, svc: Services) {
  declareRoutes(
    app,
    ["tunnels"],
    [
      route({
        method: "GET",
        url: "/api/v1/tunnels",
        action: "tunnel.list",
        description: "The nodes' Cloudflare tunnels (one per node), without their tokens.",
        reply: z.object({ items: z.array(tunnel) }),
        handle: async ({ ctx }) => ({ items: await svc.tunnels.list(ctx) }),
      }),
      route({
        method: "POST",
        url: "/api/v1/tunnels",
        action: "tunnel.create",
        description:
          "Keeps a node's tunnel once Cloudflare confirms the token reads it and reaches its zone.",
        body: tunnelCreate,
        reply: tunnel,
        status: 201,
        handle: ({ ctx, body }) => svc.tunnels.create(ctx, body),
      }),
      route({
        method: "GET",
        url: "/api/v1/tunnels/:id",
        action: "tunnel.get",
        params: idParams,
        reply: tunnel,
        handle: ({ ctx, params }) => svc.tunnels.get(ctx, params.id),
      }),
      route({
        method: "DELETE",
        url: "/api/v1/tunnels/:id",
        action: "tunnel.remove",
        params: idParams,
        handle: ({ ctx, params }) => svc.tunnels.remove(ctx, params.id),
      }),
      route({
        method: "GET",
        url: "/api/v1/tunnels/:id/status",
        action: "tunnel.status",
        description: "The tunnel's status and connections, from Cloudflare's API.",
        params: idParams,
        reply: tunnelStatus,
        handle: ({ ctx, params }) => svc.tunnels.status(ctx, params.id),
      }),
      route({
        method: "GET",
        url: "/api/v1/tunnels/:id/config",
        action: "tunnel.config",
        description: "The node's cloudflared config.yml and its ingress rules, read-only.",
        params: idParams,
        reply: tunnelConfig,
        handle: ({ ctx, params }) => svc.tunnels.config(ctx, params.id),
      }),
      route({
        method: "GET",
        url: "/api/v1/tunnels/:id/routes",
        action: "tunnel.route.list",
        description: "The hostnames Steward forwards through the tunnel.",
        params: idParams,
        reply: z.object({ items: z.array(tunnelRoute) }),
        handle: async ({ ctx, params }) => ({ items: await svc.tunnels.routes(ctx, params.id) }),
      }),
      route({
        method: "POST",
        url: "/api/v1/tunnels/:id/routes",
        action: "tunnel.route.create",
        description:
          "Forwards a hostname of the zone to a port of the node: an ingress rule, then a proxied CNAME to the tunnel.",
        params: idParams,
        body: tunnelRouteCreate,
        reply: tunnelRouteAdded,
        status: 201,
        handle: ({ ctx, params, body }) => svc.tunnels.addRoute(ctx, params.id, body),
      }),
      route({
        method: "DELETE",
        url: "/api/v1/tunnels/:id/routes/:route",
        action: "tunnel.route.remove",
        params: tunnelRouteParams,
        handle: ({ ctx, params }) => svc.tunnels.removeRoute(ctx, params.id, params.route),
      }),
    ],
  );
}
