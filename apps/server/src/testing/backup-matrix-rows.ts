// The access matrix's rows for backup destinations (issue 15), spread into
// http/access-matrix.test.ts: an account's destination is read by its readers and managed by
// its admins; strangers are told it does not exist. Statuses in the order of fixtures' ACTORS.
import { backupDestinationCreate } from "@steward/contracts/backups";
import type { ActorName, World } from "./fixtures.ts";

type Statuses = [number, number, number, number, number, number, number];
interface Row {
  expect: Statuses;
  call(w: World, who: ActorName): Promise<{ path: string; body?: unknown }>;
}

const ALL_OK: Statuses = [200, 200, 200, 200, 200, 200, 200];
const A_READ: Statuses = [200, 200, 200, 200, 404, 404, 200];
const A_ADMIN = (ok: number): Statuses => [ok, ok, 403, 403, 404, 404, 403];

/** a node's directory of account A on a node with no agent: its test fails, kept with saveAnyway */
const localOf = (w: World) => ({
  name: `backups-${w.unique()}`,
  accountId: w.a,
  settings: {
    kind: "local",
    nodeId: "nod_00000000000000000000000000",
    path: "/var/backups/steward",
  },
  saveAnyway: true,
});

const destinationOnA = async (w: World) =>
  (await w.s.svc.backups.create(w.s.cli, backupDestinationCreate.parse(localOf(w)))).id;

export const BACKUP_ROWS: Record<string, Row> = {
  "GET /api/v1/backup-destinations": {
    expect: ALL_OK,
    call: async () => ({ path: "/api/v1/backup-destinations" }),
  },
  // a node's directory: those who manage nodes (an account's admins add S3, SFTP, FTP)
  "POST /api/v1/backup-destinations": {
    expect: [201, 403, 403, 403, 403, 403, 403],
    call: async (w) => ({ path: "/api/v1/backup-destinations", body: localOf(w) }),
  },
  "GET /api/v1/backup-destinations/:id": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/backup-destinations/${await destinationOnA(w)}` }),
  },
  "POST /api/v1/backup-destinations/:id/test": {
    expect: A_ADMIN(200),
    call: async (w) => ({ path: `/api/v1/backup-destinations/${await destinationOnA(w)}/test` }),
  },
  "DELETE /api/v1/backup-destinations/:id": {
    expect: A_ADMIN(204),
    call: async (w) => ({ path: `/api/v1/backup-destinations/${await destinationOnA(w)}` }),
  },
};
