// The access matrix's rows for apps (issue 16), spread into http/access-matrix.test.ts: an
// app is a resource of its account (readers read it, its admins deploy and act on it,
// strangers are told it does not exist); a node's engine is for super users. The node here
// is trusted but no agent answers it (127.0.0.1:1 refuses at once): a call that passes the
// access checks reaches the node and answers 503 (NOT_READY), which is the row's "allowed".
import { appComposeCreate, appCreate } from "@steward/contracts/apps";
import type { ActorName, World } from "./fixtures.ts";
import { markTrusted } from "./trusted-node.ts";

export type Statuses = [number, number, number, number, number, number, number];
export interface Row {
  expect: Statuses;
  call(w: World, who: ActorName): Promise<{ path: string; body?: unknown }>;
}

export const A_READ = (ok: number): Statuses => [ok, ok, ok, ok, 404, 404, ok];
export const A_ADMIN = (ok: number): Statuses => [ok, ok, 403, 403, 404, 404, 403];
const SUPER_ONLY = (ok: number): Statuses => [ok, 403, 403, 403, 403, 403, 403];
/** what reaching the node answers when no agent does */
const NODE = 503;

export async function nodeOf(w: World) {
  const node = await w.s.svc.nodes.create(w.s.cli, {
    name: `apps-${w.unique()}`,
    agentUrl: "https://127.0.0.1:1",
  });
  await markTrusted(w.s, node.id);
  return node.id;
}

const stack = (account: string, node: string) => ({
  account,
  node,
  name: "stack",
  compose: "services:\n  web:\n    image: localhost/steward-httpd:latest\n",
});

const quick = (account: string, node: string) => ({
  account,
  node,
  image: "localhost/steward-httpd:latest",
  ports: [{ container: 8080 }],
});

/** an app of account A (its deploy task waits: the matrix runs no worker) */
async function appOnA(w: World) {
  const node = await nodeOf(w);
  return (await w.s.svc.apps.create(w.s.cli, appCreate.parse(quick(w.a, node)))).id;
}

/** a compose app of account A */
async function stackOnA(w: World) {
  const node = await nodeOf(w);
  return (await w.s.svc.appCompose.create(w.s.cli, appComposeCreate.parse(stack(w.a, node)))).id;
}

export const APPS_ROWS: Record<string, Row> = {
  "GET /api/v1/apps": {
    expect: A_READ(200),
    call: async (w) => ({ path: `/api/v1/apps?account=${w.a}` }),
  },
  "POST /api/v1/apps": {
    expect: A_ADMIN(201),
    call: async (w) => ({ path: "/api/v1/apps", body: quick(w.a, await nodeOf(w)) }),
  },
  "POST /api/v1/apps/compose": {
    expect: A_ADMIN(201),
    call: async (w) => ({ path: "/api/v1/apps/compose", body: stack(w.a, await nodeOf(w)) }),
  },
  "PUT /api/v1/apps/:id/compose": {
    expect: A_ADMIN(202),
    call: async (w) => ({
      path: `/api/v1/apps/${await stackOnA(w)}/compose`,
      body: { compose: stack(w.a, "").compose },
    }),
  },
  "GET /api/v1/app-catalog": {
    expect: [200, 200, 200, 200, 200, 200, 200],
    call: async () => ({ path: "/api/v1/app-catalog" }),
  },
  "GET /api/v1/nodes/:id/compose-allow": {
    expect: SUPER_ONLY(200),
    call: async (w) => ({ path: `/api/v1/nodes/${await nodeOf(w)}/compose-allow` }),
  },
  "PUT /api/v1/nodes/:id/compose-allow": {
    expect: SUPER_ONLY(200),
    call: async (w) => ({
      path: `/api/v1/nodes/${await nodeOf(w)}/compose-allow`,
      body: { allow: ["cap-add"] },
    }),
  },
  "GET /api/v1/apps/:id": {
    expect: A_READ(200),
    call: async (w) => ({ path: `/api/v1/apps/${await appOnA(w)}` }),
  },
  "POST /api/v1/apps/:id/deploy": {
    expect: A_ADMIN(202),
    call: async (w) => ({ path: `/api/v1/apps/${await appOnA(w)}/deploy` }),
  },
  ...Object.fromEntries(
    ["start", "stop", "restart"].map((verb) => [
      `POST /api/v1/apps/:id/${verb}`,
      {
        expect: A_ADMIN(NODE),
        call: async (w: World) => ({ path: `/api/v1/apps/${await appOnA(w)}/${verb}` }),
      },
    ]),
  ),
  "DELETE /api/v1/apps/:id": {
    expect: A_ADMIN(NODE),
    call: async (w) => ({ path: `/api/v1/apps/${await appOnA(w)}` }),
  },
  "GET /api/v1/apps/:id/stats": {
    expect: A_READ(NODE),
    call: async (w) => ({ path: `/api/v1/apps/${await appOnA(w)}/stats` }),
  },
  "GET /api/v1/apps/:id/logs": {
    expect: A_READ(NODE),
    call: async (w) => ({ path: `/api/v1/apps/${await appOnA(w)}/logs` }),
  },
  "GET /api/v1/nodes/:id/containers": {
    expect: SUPER_ONLY(NODE),
    call: async (w) => ({ path: `/api/v1/nodes/${await nodeOf(w)}/containers` }),
  },
  "GET /api/v1/nodes/:id/disk-usage": {
    expect: SUPER_ONLY(NODE),
    call: async (w) => ({ path: `/api/v1/nodes/${await nodeOf(w)}/disk-usage` }),
  },
  "POST /api/v1/nodes/:id/prune": {
    expect: SUPER_ONLY(NODE),
    call: async (w) => ({ path: `/api/v1/nodes/${await nodeOf(w)}/prune`, body: { images: true } }),
  },
};
