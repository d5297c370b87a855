// The access matrix's rows for CMS sites (issue 17), spread into http/access-matrix.test.ts:
// a site is a resource of its account (readers see it, operators diagnose and refresh it,
// admins add, update and remove it; strangers are told it does not exist). Its address
// (`.invalid`) never resolves: a diagnosis answers at once. Statuses in the order of ACTORS.
import { cmsSiteCreate } from "@steward/contracts";
import type { ActorName, World } from "./fixtures.ts";

type Statuses = [number, number, number, number, number, number, number];
interface Row {
  expect: Statuses;
  call(w: World, who: ActorName): Promise<{ path: string; body?: unknown }>;
}

const ALL_OK: Statuses = [200, 200, 200, 200, 200, 200, 200];
const A_READ: Statuses = [200, 200, 200, 200, 404, 404, 200];
const A_OPERATE = (ok: number): Statuses => [ok, ok, ok, 403, 404, 404, 403];
const A_ADMIN = (ok: number): Statuses => [ok, ok, 403, 403, 404, 404, 403];

const bodyOn = (w: World) => ({
  account: w.a,
  name: `blog ${w.unique()}`,
  url: `https://blog-${w.unique()}.invalid`,
  username: "admin",
  applicationPassword: "abcd efgh ijkl mnop qrst uvwx",
});

const siteOnA = async (w: World) =>
  (await w.s.svc.cms.create(w.s.cli, cmsSiteCreate.parse(bodyOn(w)))).id;

/** A Joomla site on A: the tools' routes reach the site only after the caller is allowed, and
 * `.invalid` never answers, so an allowed call is a 409 naming the site's failure. */
const joomlaOnA = async (w: World) =>
  (
    await w.s.svc.cms.create(
      w.s.cli,
      cmsSiteCreate.parse({
        ...bodyOn(w),
        kind: "joomla",
        applicationPassword: undefined,
        apiToken: "c2hhMjU2OjQyOjBmZDlmZTg2YWJjZGVmMDEy",
      }),
    )
  ).id;
const A_READ_REMOTE: Statuses = [409, 409, 409, 409, 404, 404, 409];
const tool = (expect: Statuses, path: string, body?: unknown): Row => ({
  expect,
  call: async (w) => ({ path: `/api/v1/cms-sites/${await joomlaOnA(w)}${path}`, body }),
});

export const CMS_TOOL_ROWS: Record<string, Row> = {
  "POST /api/v1/cms-sites/:id/unblock": tool(A_OPERATE(409), "/unblock", { ip: "203.0.113.9" }),
  "POST /api/v1/cms-sites/:id/scan": tool(A_OPERATE(202), "/scan"),
  "GET /api/v1/cms-sites/:id/scans": tool(A_READ_REMOTE, "/scans"),
  "GET /api/v1/cms-sites/:id/scans/:scan": tool(A_READ_REMOTE, "/scans/1"),
  "GET /api/v1/cms-sites/:id/scan-alerts/:alert": tool(A_READ_REMOTE, "/scan-alerts/1"),
  "POST /api/v1/cms-sites/:id/firewall": tool(A_ADMIN(409), "/firewall", { enabled: false }),
  "POST /api/v1/cms-sites/:id/temporary-admin": tool(A_ADMIN(409), "/temporary-admin", {
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  }),
  "GET /api/v1/cms-sites/:id/backups": tool(A_READ_REMOTE, "/backups"),
  "POST /api/v1/cms-sites/:id/backups": tool(A_OPERATE(202), "/backups", { profile: 1 }),
  "DELETE /api/v1/cms-sites/:id/backups/:record": tool(A_ADMIN(409), "/backups/1"),
  "DELETE /api/v1/cms-sites/:id/backups/:record/files": tool(A_ADMIN(409), "/backups/1/files"),
  "GET /api/v1/cms-sites/:id/backups/:record/download": tool(A_ADMIN(409), "/backups/1/download"),
};

export const CMS_ROWS: Record<string, Row> = {
  ...CMS_TOOL_ROWS,
  "GET /api/v1/cms-sites": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/cms-sites?account=${w.a}` }),
  },
  "POST /api/v1/cms-sites": {
    expect: A_ADMIN(201),
    call: async (w) => ({ path: "/api/v1/cms-sites", body: bodyOn(w) }),
  },
  "GET /api/v1/cms-extensions": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/cms-extensions?account=${w.a}` }),
  },
  "POST /api/v1/cms-sites/refresh": {
    expect: A_OPERATE(202),
    call: async (w) => ({ path: "/api/v1/cms-sites/refresh", body: { account: w.a } }),
  },
  "GET /api/v1/cms-sites/:id": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/cms-sites/${await siteOnA(w)}` }),
  },
  "POST /api/v1/cms-sites/:id/diagnose": {
    expect: A_OPERATE(200),
    call: async (w) => ({ path: `/api/v1/cms-sites/${await siteOnA(w)}/diagnose` }),
  },
  "POST /api/v1/cms-sites/:id/refresh": {
    expect: A_OPERATE(202),
    call: async (w) => ({ path: `/api/v1/cms-sites/${await siteOnA(w)}/refresh` }),
  },
  "GET /api/v1/cms-sites/:id/updates": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/cms-sites/${await siteOnA(w)}/updates` }),
  },
  "POST /api/v1/cms-sites/:id/update": {
    expect: A_ADMIN(202),
    call: async (w) => ({
      path: `/api/v1/cms-sites/${await siteOnA(w)}/update`,
      body: { type: "core" },
    }),
  },
  "PATCH /api/v1/cms-sites/:id": {
    expect: A_ADMIN(200),
    call: async (w) => ({
      path: `/api/v1/cms-sites/${await siteOnA(w)}`,
      body: { site: null, backupPlan: null },
    }),
  },
  "DELETE /api/v1/cms-sites/:id": {
    expect: A_ADMIN(204),
    call: async (w) => ({ path: `/api/v1/cms-sites/${await siteOnA(w)}` }),
  },
  "GET /api/v1/cms-sites/connector/wordpress.zip": {
    expect: ALL_OK,
    call: async () => ({ path: "/api/v1/cms-sites/connector/wordpress.zip" }),
  },
};
