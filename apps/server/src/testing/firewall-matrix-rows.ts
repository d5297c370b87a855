// The access matrix's rows for node firewalls (issue 19), spread into
// http/access-matrix.test.ts: super users' only, to read as to change. Each call gets a trusted
// node of its own whose agent is not there (127.0.0.1:1): the test server runs no worker, so
// the tasks saving and unblocking queue stay queued.
import { insertFirewall } from "../modules/firewall/repo.ts";
import type { ActorName, World } from "./fixtures.ts";
import { markTrusted } from "./trusted-node.ts";

type Statuses = [number, number, number, number, number, number, number];
interface Row {
  expect: Statuses;
  call(w: World, who: ActorName): Promise<{ path: string; body?: unknown }>;
}

const SUPER_ONLY = (ok: number): Statuses => [ok, 403, 403, 403, 403, 403, 403];

/** a node with, optionally, a firewall row in `status`; the path under its firewall */
async function firewallOf(w: World, status: string | null, path = "") {
  const node = await w.s.svc.nodes.create(w.s.cli, {
    name: `fw-${w.unique()}`,
    agentUrl: "https://127.0.0.1:1",
  });
  await markTrusted(w.s, node.id);
  const now = Date.now();
  if (status)
    await insertFirewall(w.s.svc.db.db, {
      node_id: node.id,
      rules: JSON.stringify({
        rules: [],
        blocked: ["192.0.2.7"],
        sshRateLimit: null,
        sshBans: null,
      }),
      confirm_seconds: 60,
      auto_confirm: 0,
      revision: 1,
      applied_revision: null,
      status,
      message: null,
      revert_at: now + 60_000,
      confirmed_revision: null,
      panel_address: null,
      task_id: null,
      created_at: now,
      updated_at: now,
    });
  return `/api/v1/nodes/${node.id}/firewall${path}`;
}

export const FIREWALL_ROWS: Record<string, Row> = {
  "GET /api/v1/nodes/:id/firewall": {
    expect: SUPER_ONLY(200),
    call: async (w) => ({ path: await firewallOf(w, null) }),
  },
  "PUT /api/v1/nodes/:id/firewall": {
    expect: SUPER_ONLY(202),
    call: async (w) => ({
      path: await firewallOf(w, null),
      body: {
        rules: [
          { action: "allow", service: "ssh" },
          { action: "allow", ports: "1" },
        ],
      },
    }),
  },
  "POST /api/v1/nodes/:id/firewall/confirm": {
    expect: SUPER_ONLY(200),
    call: async (w) => ({ path: await firewallOf(w, "pending", "/confirm") }),
  },
  "POST /api/v1/nodes/:id/firewall/unblock": {
    expect: SUPER_ONLY(202),
    call: async (w) => ({
      path: await firewallOf(w, "applied", "/unblock"),
      body: { address: "192.0.2.7" },
    }),
  },
};
