// The access matrix's rows for backup sources, plans, runs and artifacts (issue 15), spread
// into http/access-matrix.test.ts: account A's readers read them, its operators run a plan now,
// its admins create and delete; a node's directory is a super user's source; strangers are
// told it does not exist. The test server runs no worker: a run's task waits. Statuses in the
// order of fixtures' ACTORS.
import {
  backupDestinationCreate,
  backupPlanCreate,
  backupSourceCreate,
} from "@steward/contracts/backups";
import { insertArtifacts } from "../modules/backups/runs-repo.ts";
import type { ActorName, World } from "./fixtures.ts";
import { markTrusted } from "./trusted-node.ts";

type Statuses = [number, number, number, number, number, number, number];
interface Row {
  expect: Statuses;
  call(w: World, who: ActorName): Promise<{ path: string; body?: unknown }>;
}

const ALL_OK: Statuses = [200, 200, 200, 200, 200, 200, 200];
const A_READ: Statuses = [200, 200, 200, 200, 404, 404, 200];
const A_ADMIN = (ok: number): Statuses => [ok, ok, 403, 403, 404, 404, 403];
const A_OPERATE = (ok: number): Statuses => [ok, ok, ok, 403, 404, 404, 403];
const CREATE = (ok: number): Statuses => [ok, ok, 403, 403, 403, 403, 403];
const SUPER_CREATE = (ok: number): Statuses => [ok, 403, 403, 403, 403, 403, 403];
/** a node's path in account A: super users only; strangers are told it does not exist */
const A_NODE_PATH = (ok: number): Statuses => [ok, 403, 403, 403, 404, 404, 403];

const trustedNode = async (w: World) => {
  const node = await w.s.svc.nodes.create(w.s.cli, {
    name: `bk-${w.unique()}`,
    agentUrl: "https://10.0.0.1:7443",
  });
  await markTrusted(w.s, node.id);
  return node.id;
};

const filesOf = async (w: World) => ({
  name: `files-${w.unique()}`,
  accountId: w.a,
  source: { kind: "files", nodeId: await trustedNode(w), path: "/srv/www", excludes: ["cache/**"] },
});

const sourceOnA = async (w: World) =>
  w.s.svc.backupSources.create(w.s.cli, backupSourceCreate.parse(await filesOf(w)));

/** a plan of account A: a directory of a node to that node's own directory */
const planBodyOf = async (w: World) => {
  const source = await sourceOnA(w);
  const destination = await w.s.svc.backups.create(
    w.s.cli,
    backupDestinationCreate.parse({
      name: `disk-${w.unique()}`,
      accountId: w.a,
      settings: { kind: "local", nodeId: source.nodeId, path: "/var/backups/steward" },
      saveAnyway: true,
    }),
  );
  return {
    name: `plan-${w.unique()}`,
    accountId: w.a,
    sourceIds: [source.id],
    destinationIds: [destination.id],
  };
};

const planOnA = async (w: World, encryption: { mode: string } = { mode: "none" }) => {
  const body = { ...(await planBodyOf(w)), encryption };
  return (await w.s.svc.backupPlans.create(w.s.cli, backupPlanCreate.parse(body))).id;
};

const runOnA = async (w: World) => {
  const started = await w.s.svc.backupPlans.run(w.s.cli, await planOnA(w));
  const run = started.runs[0];
  if (!run) throw new Error("the plan started no run");
  return { planId: (await w.s.svc.backupPlans.getRun(w.s.cli, run.runId)).planId, ...run };
};

const artifactOnA = async (w: World) => {
  const run = await runOnA(w);
  const id = `bka_${w.unique()}`;
  await insertArtifacts(w.s.svc.db.db, [
    {
      id,
      account_id: w.a,
      run_id: run.runId,
      plan_id: run.planId,
      source_id: run.sourceId,
      destination_id: (await w.s.svc.backupPlans.get(w.s.cli, run.planId)).destinationIds[0] ?? "",
      name: "matrix.tar.zst",
      bytes: 1,
      sha256: "0".repeat(64),
      source_description: "/srv/www",
      verified: 0,
      verified_at: null,
      deleted_at: null,
      created_at: Date.now(),
    },
  ]);
  return id;
};

export const BACKUP_PLAN_ROWS: Record<string, Row> = {
  "GET /api/v1/backup-sources": {
    expect: ALL_OK,
    call: async () => ({ path: "/api/v1/backup-sources" }),
  },
  "POST /api/v1/backup-sources": {
    expect: SUPER_CREATE(201),
    call: async (w) => ({ path: "/api/v1/backup-sources", body: await filesOf(w) }),
  },
  "GET /api/v1/backup-sources/:id": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/backup-sources/${(await sourceOnA(w)).id}` }),
  },
  "DELETE /api/v1/backup-sources/:id": {
    expect: A_ADMIN(204),
    call: async (w) => ({ path: `/api/v1/backup-sources/${(await sourceOnA(w)).id}` }),
  },
  "GET /api/v1/backup-plans": {
    expect: ALL_OK,
    call: async () => ({ path: "/api/v1/backup-plans" }),
  },
  "POST /api/v1/backup-plans": {
    expect: CREATE(201),
    call: async (w) => ({ path: "/api/v1/backup-plans", body: await planBodyOf(w) }),
  },
  "GET /api/v1/backup-plans/:id": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/backup-plans/${await planOnA(w)}` }),
  },
  "DELETE /api/v1/backup-plans/:id": {
    expect: A_ADMIN(204),
    call: async (w) => ({ path: `/api/v1/backup-plans/${await planOnA(w)}` }),
  },
  "POST /api/v1/backup-plans/:id/run": {
    expect: A_OPERATE(202),
    call: async (w) => ({ path: `/api/v1/backup-plans/${await planOnA(w)}/run` }),
  },
  "GET /api/v1/backup-runs": {
    expect: ALL_OK,
    call: async () => ({ path: "/api/v1/backup-runs" }),
  },
  "GET /api/v1/backup-runs/:id": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/backup-runs/${(await runOnA(w)).runId}` }),
  },
  "GET /api/v1/backup-artifacts": {
    expect: ALL_OK,
    call: async () => ({ path: "/api/v1/backup-artifacts" }),
  },
  "GET /api/v1/backup-artifacts/:id": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/backup-artifacts/${await artifactOnA(w)}` }),
  },
  "POST /api/v1/backup-artifacts/:id/restore": {
    expect: A_NODE_PATH(202),
    call: async (w) => ({
      path: `/api/v1/backup-artifacts/${await artifactOnA(w)}/restore`,
      body: { target: { kind: "files", path: "/srv/restored" }, dryRun: true },
    }),
  },
  "POST /api/v1/backup-artifacts/:id/verify": {
    expect: A_OPERATE(202),
    call: async (w) => ({
      path: `/api/v1/backup-artifacts/${await artifactOnA(w)}/verify`,
      body: {},
    }),
  },
  "PATCH /api/v1/backup-plans/:id": {
    expect: A_ADMIN(200),
    call: async (w) => ({
      path: `/api/v1/backup-plans/${await planOnA(w)}`,
      body: { name: `renamed-${w.unique()}` },
    }),
  },
  "POST /api/v1/backup-plans/:id/recovery-kit": {
    expect: A_ADMIN(200),
    call: async (w) => ({
      path: `/api/v1/backup-plans/${await planOnA(w, { mode: "panel" })}/recovery-kit`,
    }),
  },
  // the matrix's artifact is in a node's directory (409: not read through the panel) and
  // not encrypted (400: no identity to give)
  "GET /api/v1/backup-artifacts/:id/download": {
    expect: A_OPERATE(409),
    call: async (w) => ({ path: `/api/v1/backup-artifacts/${await artifactOnA(w)}/download` }),
  },
  "POST /api/v1/backup-artifacts/:id/download": {
    expect: A_OPERATE(400),
    call: async (w) => ({
      path: `/api/v1/backup-artifacts/${await artifactOnA(w)}/download`,
      body: { identity: "MC4CAQAwBQYDK2VuBCIEIA" },
    }),
  },
};
