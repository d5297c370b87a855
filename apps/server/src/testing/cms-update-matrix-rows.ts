// The access matrix's rows for update policies, a site's policy and history, and bulk updates
// (issue 17), spread into http/access-matrix.test.ts: an account's readers see its policies,
// its admins set its defaults, a site's admins the site's own; strangers are told they do not
// exist. A bulk preview is a read (each site shown when the caller may update it). Statuses in
// the order of ACTORS.
import { cmsSiteCreate, updatePolicySet } from "@steward/contracts";
import { PNG } from "pngjs";
import { insertHistory, insertShots } from "../modules/cms/update-repo.ts";
import type { ActorName, World } from "./fixtures.ts";

type Statuses = [number, number, number, number, number, number, number];
interface Row {
  expect: Statuses;
  call(w: World, who: ActorName): Promise<{ path: string; body?: unknown }>;
}

const A_READ: Statuses = [200, 200, 200, 200, 404, 404, 200];
const A_ADMIN = (ok: number): Statuses => [ok, ok, 403, 403, 404, 404, 403];

const siteOnA = async (w: World) =>
  (
    await w.s.svc.cms.create(
      w.s.cli,
      cmsSiteCreate.parse({
        account: w.a,
        name: `blog ${w.unique()}`,
        url: `https://blog-${w.unique()}.invalid`,
        username: "admin",
        applicationPassword: "abcd efgh ijkl mnop qrst uvwx",
      }),
    )
  ).id;

/** A site on A with one update whose visual check kept its images (1×1 PNGs). */
async function updateWithShots(w: World) {
  const site = await siteOnA(w);
  const entry = { id: `cuh_${w.unique()}`, site_id: site };
  await insertHistory(w.s.svc.db.db, {
    ...entry,
    account_id: w.a,
    task_id: null,
    ext_type: "plugin",
    ext_slug: "hello/hello.php",
    from_version: "1.0.0",
    to_version: "1.1.0",
    outcome: "succeeded",
    message: "the home page answers HTTP 200",
    status_before: 200,
    status_after: 200,
    visual_percent: 0,
    visual_threshold: 5,
    visual_shots: 1,
    created_at: Date.now(),
  });
  const png = PNG.sync.write(new PNG({ width: 1, height: 1 }));
  await insertShots(w.s.svc.db.db, entry, { before: png, after: png, diff: png });
  return `/api/v1/cms-sites/${site}/history/${entry.id}/shots/diff`;
}

export const CMS_UPDATE_ROWS: Record<string, Row> = {
  "GET /api/v1/update-policies": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/update-policies?account=${w.a}` }),
  },
  "PUT /api/v1/update-policies": {
    expect: A_ADMIN(200),
    call: async (w) => ({
      path: "/api/v1/update-policies",
      body: { account: w.a, level: "minor" },
    }),
  },
  "DELETE /api/v1/update-policies/:id": {
    expect: A_ADMIN(204),
    call: async (w) => {
      const site = await siteOnA(w);
      const policy = await w.s.svc.cmsUpdates.setPolicy(
        w.s.cli,
        updatePolicySet.parse({ account: w.a, site, level: "patch" }),
      );
      return { path: `/api/v1/update-policies/${policy.id}` };
    },
  },
  "GET /api/v1/cms-sites/:id/policy": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/cms-sites/${await siteOnA(w)}/policy` }),
  },
  "GET /api/v1/cms-sites/:id/history": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/cms-sites/${await siteOnA(w)}/history` }),
  },
  "GET /api/v1/cms-sites/:id/history/:entry/shots/:kind": {
    expect: A_READ,
    call: async (w) => ({ path: await updateWithShots(w) }),
  },
  "POST /api/v1/cms-sites/updates": {
    expect: A_READ,
    call: async (w) => ({
      path: "/api/v1/cms-sites/updates",
      body: { account: w.a, preview: true },
    }),
  },
};
