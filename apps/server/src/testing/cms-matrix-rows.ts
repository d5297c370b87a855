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

export const CMS_ROWS: Record<string, Row> = {
  "GET /api/v1/cms-sites": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/cms-sites?account=${w.a}` }),
  },
  "POST /api/v1/cms-sites": {
    expect: A_ADMIN(201),
    call: async (w) => ({ path: "/api/v1/cms-sites", body: bodyOn(w) }),
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
  "DELETE /api/v1/cms-sites/:id": {
    expect: A_ADMIN(204),
    call: async (w) => ({ path: `/api/v1/cms-sites/${await siteOnA(w)}` }),
  },
  "GET /api/v1/cms-sites/connector/wordpress.zip": {
    expect: ALL_OK,
    call: async () => ({ path: "/api/v1/cms-sites/connector/wordpress.zip" }),
  },
};
