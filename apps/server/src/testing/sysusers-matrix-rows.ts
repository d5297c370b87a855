// The access matrix's rows for system users (issue 19), spread into http/access-matrix.test.ts:
// a system user is a resource of its account (readers see it, its admins create, change and
// delete it, strangers are told it does not exist). Each call gets a fresh trusted node (no
// agent answers: the apply tasks wait, the matrix runs no worker), so one account's main user
// per node holds.
import { sysUserCreate } from "@steward/contracts/hosting";
import { nodeOf } from "./apps-matrix-rows.ts";
import type { ActorName, World } from "./fixtures.ts";

type Statuses = [number, number, number, number, number, number, number];
interface Row {
  expect: Statuses;
  call(w: World, who: ActorName): Promise<{ path: string; body?: unknown }>;
}

const A_READ = (ok: number): Statuses => [ok, ok, ok, ok, 404, 404, ok];
const A_ADMIN = (ok: number): Statuses => [ok, ok, 403, 403, 404, 404, 403];

/** a main user of account A on a fresh node: its id and name */
async function userOfA(w: World) {
  const name = `shop${w.unique()}`
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .slice(0, 28);
  const body = sysUserCreate.parse({ kind: "main", account: w.a, node: await nodeOf(w), name });
  const u = await w.s.svc.systemUsers.create(w.s.cli, body);
  return { id: u.id, name: u.name };
}

export const SYSUSERS_ROWS: Record<string, Row> = {
  "GET /api/v1/system-users": {
    expect: A_READ(200),
    call: async (w) => ({ path: `/api/v1/system-users?account=${w.a}` }),
  },
  "POST /api/v1/system-users": {
    expect: A_ADMIN(201),
    call: async (w) => ({
      path: "/api/v1/system-users",
      body: { kind: "main", account: w.a, node: await nodeOf(w), name: "shop" },
    }),
  },
  "GET /api/v1/system-users/:id": {
    expect: A_READ(200),
    call: async (w) => ({ path: `/api/v1/system-users/${(await userOfA(w)).id}` }),
  },
  "PATCH /api/v1/system-users/:id": {
    expect: A_ADMIN(200),
    call: async (w) => ({
      path: `/api/v1/system-users/${(await userOfA(w)).id}`,
      body: { shell: "none" },
    }),
  },
  "GET /api/v1/accounts/:id/disk-usage": {
    expect: A_READ(200),
    call: async (w) => ({ path: `/api/v1/accounts/${w.a}/disk-usage` }),
  },
  "DELETE /api/v1/system-users/:id": {
    expect: A_ADMIN(202),
    call: async (w) => {
      const u = await userOfA(w);
      return { path: `/api/v1/system-users/${u.id}?confirm=${u.name}` };
    },
  },
};
