// The access matrix's rows for cron jobs (issue 19), spread into http/access-matrix.test.ts: a
// job is a resource of its account (readers see it, its admins create, change, delete and run
// it, strangers are told it does not exist; a list shows each caller its accounts' jobs). Each
// call gets a fresh trusted node and a main user of account A on it (no agent answers: the
// tasks wait, the matrix runs no worker).
import { cronJobCreate, sysUserCreate } from "@steward/contracts/hosting";
import { nodeOf } from "./apps-matrix-rows.ts";
import type { World } from "./fixtures.ts";

type Statuses = [number, number, number, number, number, number, number];
interface Row {
  expect: Statuses;
  call(w: World): Promise<{ path: string; body?: unknown }>;
}

const ALL = (ok: number): Statuses => [ok, ok, ok, ok, ok, ok, ok];
const A_READ = (ok: number): Statuses => [ok, ok, ok, ok, 404, 404, ok];
const A_ADMIN = (ok: number): Statuses => [ok, ok, 403, 403, 404, 404, 403];

/** a main system user of account A on a fresh node */
async function userOfA(w: World) {
  const name = `cron${w.unique()}`
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .slice(0, 28);
  const body = sysUserCreate.parse({ kind: "main", account: w.a, node: await nodeOf(w), name });
  return (await w.s.svc.systemUsers.create(w.s.cli, body)).id;
}

/** a job of account A */
async function jobOfA(w: World) {
  const body = cronJobCreate.parse({
    account: w.a,
    systemUser: await userOfA(w),
    schedule: "*/5 * * * *",
    command: "true",
  });
  return (await w.s.svc.cron.create(w.s.cli, body)).id;
}

export const CRON_ROWS: Record<string, Row> = {
  "GET /api/v1/cron-jobs": {
    expect: ALL(200),
    call: async (w) => ({ path: `/api/v1/cron-jobs?account=${w.a}` }),
  },
  "POST /api/v1/cron-jobs": {
    expect: A_ADMIN(201),
    call: async (w) => ({
      path: "/api/v1/cron-jobs",
      body: { account: w.a, systemUser: await userOfA(w), schedule: "@daily", command: "true" },
    }),
  },
  "GET /api/v1/cron-jobs/:id": {
    expect: A_READ(200),
    call: async (w) => ({ path: `/api/v1/cron-jobs/${await jobOfA(w)}` }),
  },
  "PATCH /api/v1/cron-jobs/:id": {
    expect: A_ADMIN(200),
    call: async (w) => ({ path: `/api/v1/cron-jobs/${await jobOfA(w)}`, body: { enabled: false } }),
  },
  "DELETE /api/v1/cron-jobs/:id": {
    expect: A_ADMIN(202),
    call: async (w) => {
      const id = await jobOfA(w);
      return { path: `/api/v1/cron-jobs/${id}?confirm=${id}` };
    },
  },
  "POST /api/v1/cron-jobs/:id/run": {
    expect: A_ADMIN(202),
    call: async (w) => ({ path: `/api/v1/cron-jobs/${await jobOfA(w)}/run` }),
  },
};
