// Cloudflare tunnels (issue 16): a node's cloudflared tunnel (the Cloudflare account and tunnel
// ids, the zone its hostnames are routed in, an API token sealed at rest and never answered),
// and the hostnames Steward forwards through it to a port of the node (an ingress rule in the
// node's config.yml and a proxied CNAME `<hostname>` → `<tunnel id>.cfargotunnel.com`).
import { z } from "zod";
import { ingressRule } from "../agent/tunnels.ts";
import { domain, id, port } from "../validators.ts";
import { cloudflareToken } from "./dns-providers.ts";

export const cloudflareAccountId = z
  .string()
  .regex(/^[0-9a-f]{32}$/, "must be a Cloudflare account id (32 hexadecimal digits)");

export const tunnel = z.object({
  id: z.string(),
  nodeId: z.string(),
  cloudflareAccount: z.string(),
  tunnelId: z.string(),
  zone: z.string(),
  createdAt: z.string(),
});
export type Tunnel = z.infer<typeof tunnel>;

export const tunnelCreate = z.strictObject({
  node: id,
  cloudflareAccount: cloudflareAccountId,
  tunnelId: z.uuid({ error: "must be the tunnel's id (a UUID)" }).transform((s) => s.toLowerCase()),
  zone: domain,
  /** a token with Zone → DNS → Edit on the zone and Account → Cloudflare Tunnel → Read */
  token: cloudflareToken,
});
export type TunnelCreate = z.infer<typeof tunnelCreate>;

export const tunnelStatus = z.object({
  name: z.string(),
  /** inactive (never run), degraded, healthy, or down (no connection to Cloudflare's edge) */
  status: z.string(),
  connections: z.array(z.object({ colo: z.string(), openedAt: z.string(), originIp: z.string() })),
});

export const tunnelConfig = z.object({
  path: z.string(),
  config: z.string(),
  tunnel: z.string().nullable(),
  ingress: z.array(ingressRule),
});

export const tunnelRoute = z.object({
  id: z.string(),
  tunnelId: z.string(),
  hostname: z.string(),
  port: z.number(),
  createdAt: z.string(),
});
export type TunnelRoute = z.infer<typeof tunnelRoute>;

export const tunnelRouteCreate = z.strictObject({ hostname: domain, port });
export type TunnelRouteCreate = z.infer<typeof tunnelRouteCreate>;

/** A route as added: the node's answer (validation, backup, restart) with it. */
export const tunnelRouteAdded = tunnelRoute.extend({
  validatedBy: z.enum(["cloudflared", "schema"]).nullable(),
  backup: z.string().nullable(),
  restarted: z.boolean(),
  note: z.string().nullable(),
});

export const tunnelRouteParams = z.strictObject({ id, route: id });
