// The access matrix's rows for the storage explorer (issue 15), spread into
// http/access-matrix.test.ts: account A's destination is explored by its readers, its
// artifacts deleted and imported by its admins; strangers are told it does not exist. The
// destination is a directory of a node with no agent, so an allowed call reaches the node and
// answers 503 (the node cannot be asked); an artifact whose destination is gone is deleted
// from the record alone. Statuses in the order of fixtures' ACTORS.
import { backupDestinationCreate } from "@steward/contracts/backups";
import { insertArtifacts } from "../modules/backups/runs-repo.ts";
import type { ActorName, World } from "./fixtures.ts";

type Statuses = [number, number, number, number, number, number, number];
interface Row {
  expect: Statuses;
  call(w: World, who: ActorName): Promise<{ path: string; body?: unknown }>;
}

const A_READ = (ok: number): Statuses => [ok, ok, ok, ok, 404, 404, ok];
const A_ADMIN = (ok: number): Statuses => [ok, ok, 403, 403, 404, 404, 403];

const destinationOnA = async (w: World) =>
  (
    await w.s.svc.backups.create(
      w.s.cli,
      backupDestinationCreate.parse({
        name: `explored-${w.unique()}`,
        accountId: w.a,
        settings: {
          kind: "local",
          nodeId: "nod_00000000000000000000000000",
          path: "/var/backups/steward",
        },
        saveAnyway: true,
      }),
    )
  ).id;

/** an orphan artifact of account A on a destination that no longer exists */
const artifactOnA = async (w: World) => {
  const id = `bka_${w.unique()}`;
  await insertArtifacts(w.s.svc.db.db, [
    {
      id,
      account_id: w.a,
      run_id: null,
      plan_id: null,
      source_id: null,
      destination_id: "bkd_gone",
      name: "matrix.tar.zst",
      bytes: 1,
      sha256: "0".repeat(64),
      source_description: "/srv/www",
      verified: 0,
      verified_at: null,
      deleted_at: null,
      imported_at: Date.now(),
      created_at: Date.now(),
    },
  ]);
  return id;
};

export const BACKUP_EXPLORER_ROWS: Record<string, Row> = {
  "GET /api/v1/backup-destinations/:id/objects": {
    expect: A_READ(503),
    call: async (w) => ({ path: `/api/v1/backup-destinations/${await destinationOnA(w)}/objects` }),
  },
  "POST /api/v1/backup-destinations/:id/import": {
    expect: A_ADMIN(503),
    call: async (w) => ({
      path: `/api/v1/backup-destinations/${await destinationOnA(w)}/import`,
      body: { names: ["site-1.tar.zst"] },
    }),
  },
  "DELETE /api/v1/backup-artifacts/:id": {
    expect: A_ADMIN(204),
    call: async (w) => ({ path: `/api/v1/backup-artifacts/${await artifactOnA(w)}?force=true` }),
  },
};
