import { dnsProvider, dnsProviderCreate, dnsProviderListQuery } from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { declareRoutes, route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function dnsProvidersRoutes(app: FastifyInstance, svc: Services) {
  declareRoutes(
    app,
    ["dns-providers"],
    [
      route({
        method: "GET",
        url: "/api/v1/dns-providers",
        action: "dns_provider.list",
        description: "An account's DNS providers (dns-01), without their tokens.",
        query: dnsProviderListQuery,
        reply: z.object({ items: z.array(dnsProvider) }),
        handle: async ({ ctx, query }) => ({
          items: await svc.dnsProviders.list(ctx, query.account),
        }),
      }),
      route({
        method: "GET",
        url: "/api/v1/dns-providers/:id",
        action: "dns_provider.get",
        params: idParams,
        reply: dnsProvider,
        handle: ({ ctx, params }) => svc.dnsProviders.get(ctx, params.id),
      }),
      route({
        method: "POST",
        url: "/api/v1/dns-providers",
        action: "dns_provider.create",
        description:
          "Adds a DNS provider (a Cloudflare API token) after checking it: valid, with Zone.DNS on the zones.",
        body: dnsProviderCreate,
        reply: dnsProvider,
        status: 201,
        handle: ({ ctx, body }) => svc.dnsProviders.create(ctx, body),
      }),
      route({
        method: "POST",
        url: "/api/v1/dns-providers/:id/test",
        action: "dns_provider.test",
        description: "Checks the provider's token again and refreshes the zones it reaches.",
        params: idParams,
        reply: dnsProvider,
        handle: ({ ctx, params }) => svc.dnsProviders.test(ctx, params.id),
      }),
      route({
        method: "DELETE",
        url: "/api/v1/dns-providers/:id",
        action: "dns_provider.remove",
        params: idParams,
        handle: ({ ctx, params }) => svc.dnsProviders.remove(ctx, params.id),
      }),
    ],
  );
}
