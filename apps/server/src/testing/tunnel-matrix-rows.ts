// The access matrix's rows for Cloudflare tunnels (issue 16), spread into
// http/access-matrix.test.ts: super users' only. Cloudflare is a strict fake of this file (the
// server's Cloudflare base pointed at it for each call, put back after); the nodes are trusted
// rows whose agent is not there (127.0.0.1:1), so what needs the node answers 409 in words.
import { type CloudflareFake, startCloudflareFake } from "@steward/testkit";
import { afterAll } from "vitest";
import { insertRoute } from "../modules/tunnels/repo.ts";
import type { ActorName, World } from "./fixtures.ts";
import { markTrusted } from "./trusted-node.ts";

type Statuses = [number, number, number, number, number, number, number];
interface Row {
  expect: Statuses;
  call(
    w: World,
    who: ActorName,
  ): Promise<{ path: string; body?: unknown; cleanup?: () => Promise<unknown> }>;
}

const SUPER_ONLY = (ok: number): Statuses => [ok, 403, 403, 403, 403, 403, 403];
const TOKEN = "matrix-tunnel-token-0123456789abcdef";
const ACCOUNT = "0123456789abcdef0123456789abcdef";
const TUN = "6ff42ae2-765d-4adf-8112-31c55c1551ef";
let cloudflare: CloudflareFake | null = null;
afterAll(() => cloudflare?.stop());

/** points the server's Cloudflare at this file's fake; the cleanup puts the previous one back */
async function useFake(w: World) {
  cloudflare ??= await startCloudflareFake({
    zones: ["tunnel.test"],
    tokens: { [TOKEN]: { tunnels: true } },
    accounts: { [ACCOUNT]: [{ id: TUN, name: "edge", status: "healthy", connections: 1 }] },
  });
  const settings = w.s.svc.settings;
  const before = { cloudflareApi: settings.cloudflareApi, outboundAllow: settings.outboundAllow };
  Object.assign(settings, {
    cloudflareApi: cloudflare.base,
    outboundAllow: [...new Set([...settings.outboundAllow, "127.0.0.1/32"])],
  });
  return async () => Object.assign(settings, before);
}

async function nodeWithoutAgent(w: World) {
  const node = await w.s.svc.nodes.create(w.s.cli, {
    name: `tun-${w.unique()}`,
    agentUrl: "https://127.0.0.1:1",
  });
  await markTrusted(w.s, node.id);
  return node.id;
}

const body = (node: string) => ({
  node,
  cloudflareAccount: ACCOUNT,
  tunnelId: TUN,
  zone: "tunnel.test",
  token: TOKEN,
});

/** a tunnel on a node of its own; the call's path under it */
async function withTunnel(w: World, path: (id: string) => string, extra: object = {}) {
  const restore = await useFake(w);
  const made = await w.s.svc.tunnels.create(w.s.cli, body(await nodeWithoutAgent(w)));
  return { path: path(made.id), cleanup: restore, ...extra };
}

export const TUNNEL_ROWS: Record<string, Row> = {
  "GET /api/v1/tunnels": {
    expect: SUPER_ONLY(200),
    call: async () => ({ path: "/api/v1/tunnels" }),
  },
  "POST /api/v1/tunnels": {
    expect: SUPER_ONLY(201),
    call: async (w) => {
      const cleanup = await useFake(w);
      return { path: "/api/v1/tunnels", body: body(await nodeWithoutAgent(w)), cleanup };
    },
  },
  "GET /api/v1/tunnels/:id": {
    expect: SUPER_ONLY(200),
    call: (w) => withTunnel(w, (id) => `/api/v1/tunnels/${id}`),
  },
  "DELETE /api/v1/tunnels/:id": {
    expect: SUPER_ONLY(204),
    call: (w) => withTunnel(w, (id) => `/api/v1/tunnels/${id}`),
  },
  "GET /api/v1/tunnels/:id/status": {
    expect: SUPER_ONLY(200),
    call: (w) => withTunnel(w, (id) => `/api/v1/tunnels/${id}/status`),
  },
  // the node's agent is not there: a super user is told so (409)
  "GET /api/v1/tunnels/:id/config": {
    expect: SUPER_ONLY(409),
    call: (w) => withTunnel(w, (id) => `/api/v1/tunnels/${id}/config`),
  },
  "GET /api/v1/tunnels/:id/routes": {
    expect: SUPER_ONLY(200),
    call: (w) => withTunnel(w, (id) => `/api/v1/tunnels/${id}/routes`),
  },
  "POST /api/v1/tunnels/:id/routes": {
    expect: SUPER_ONLY(409),
    call: (w) =>
      withTunnel(w, (id) => `/api/v1/tunnels/${id}/routes`, {
        body: { hostname: `r${w.unique()}.tunnel.test`, port: 8080 },
      }),
  },
  "DELETE /api/v1/tunnels/:id/routes/:route": {
    expect: SUPER_ONLY(409),
    call: async (w) => {
      let route = "";
      const call = await withTunnel(w, (id) => {
        route = `tunr_${w.unique()}`;
        return `/api/v1/tunnels/${id}/routes/${route}`;
      });
      const tunnel = call.path.split("/")[4] ?? "";
      await insertRoute(w.s.svc.db.db, {
        id: route,
        tunnel_id: tunnel,
        hostname: `${route}.tunnel.test`.toLowerCase().replace(/_/g, "-"),
        port: 80,
        dns_record_id: null,
        created_at: Date.now(),
      });
      return call;
    },
  },
};
