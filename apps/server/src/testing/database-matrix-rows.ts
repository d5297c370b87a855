// The access matrix's rows for databases and their users (issue 14), spread into
// http/access-matrix.test.ts: they belong to their server's account (its readers read them,
// its admins manage them, strangers are told they do not exist). The server is a node's whose
// agent never answers: an action an actor may ask for reaches the executor and gets 503
// (NOT_READY, the node), one it may not is refused before. Statuses in ACTORS' order.
import { databaseServerCreate } from "@steward/contracts/databases";
import { insertDatabase, insertUser } from "../modules/databases/items-repo.ts";
import type { ActorName, World } from "./fixtures.ts";

type Statuses = [number, number, number, number, number, number, number];
interface Row {
  expect: Statuses;
  call(w: World, who: ActorName): Promise<{ path: string; body?: unknown }>;
}

const ALL_OK: Statuses = [200, 200, 200, 200, 200, 200, 200];
const A_READ: Statuses = [200, 200, 200, 200, 404, 404, 200];
const A_ADMIN = (ok: number): Statuses => [ok, ok, 403, 403, 404, 404, 403];

/** A server of account A on a node no agent answers. */
const serverOnA = (w: World) =>
  w.s.svc.databases.create(
    w.s.cli,
    databaseServerCreate.parse({
      placement: "on-node",
      name: `dbm-${w.unique()}`,
      engine: "postgres",
      nodeId: "nod_00000000000000000000000000",
      accountId: w.a,
      saveAnyway: true,
    }),
  );

/** A server of account A on a node no agent answers, with one database and one user. */
async function itemsOnA(w: World) {
  const server = await serverOnA(w);
  const now = Date.now();
  const name = `m${w.unique()}`;
  const common = {
    server_id: server.id,
    account_id: w.a,
    engine: server.engine,
    name,
    created_at: now,
    updated_at: now,
  };
  const database = `db_${w.unique()}`;
  const user = `dbu_${w.unique()}`;
  await insertDatabase(w.s.svc.db.db, { id: database, ...common });
  const level = { kind: "all" as const };
  await insertUser(
    w.s.svc.db.db,
    { id: user, ...common, password_sealed: w.s.svc.secrets.seal("matrix-password") },
    [{ database_id: database, level }],
  );
  return { server: server.id, database, user, name };
}

const D = "/api/v1/databases";
const S = "/api/v1/database-servers";
const U = "/api/v1/database-users";
export const DATABASE_ITEM_ROWS: Record<string, Row> = {
  // a rename reaches no server; a delete needs a server Steward manages nothing on
  [`PATCH ${S}/:id`]: {
    expect: A_ADMIN(200),
    call: async (w) => ({ path: `${S}/${(await serverOnA(w)).id}`, body: { name: "renamed" } }),
  },
  [`DELETE ${S}/:id`]: {
    expect: A_ADMIN(200),
    call: async (w) => {
      const server = await serverOnA(w);
      return { path: `${S}/${server.id}?confirm=${server.name}` };
    },
  },
  [`GET ${S}/:id/inventory`]: {
    expect: A_ADMIN(503),
    call: async (w) => ({ path: `${S}/${(await itemsOnA(w)).server}/inventory` }),
  },
  [`POST ${S}/:id/adopt`]: {
    expect: A_ADMIN(503),
    call: async (w) => ({
      path: `${S}/${(await itemsOnA(w)).server}/adopt`,
      body: { databases: ["legacy"] },
    }),
  },
  [`GET ${D}`]: { expect: ALL_OK, call: async () => ({ path: D }) },
  [`POST ${D}`]: {
    expect: A_ADMIN(503),
    call: async (w) => ({ path: D, body: { serverId: (await itemsOnA(w)).server, name: "shop" } }),
  },
  [`GET ${D}/:id`]: {
    expect: A_READ,
    call: async (w) => ({ path: `${D}/${(await itemsOnA(w)).database}` }),
  },
  [`GET ${D}/:id/sizes`]: {
    expect: A_READ,
    call: async (w) => ({ path: `${D}/${(await itemsOnA(w)).database}/sizes` }),
  },
  "GET /api/v1/accounts/:id/database-sizes": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/accounts/${w.a}/database-sizes` }),
  },
  [`DELETE ${D}/:id`]: {
    expect: A_ADMIN(503),
    call: async (w) => {
      const made = await itemsOnA(w);
      return { path: `${D}/${made.database}?confirm=${made.name}` };
    },
  },
  [`GET ${U}`]: { expect: ALL_OK, call: async () => ({ path: U }) },
  [`POST ${U}`]: {
    expect: A_ADMIN(503),
    call: async (w) => ({ path: U, body: { serverId: (await itemsOnA(w)).server, name: "shop" } }),
  },
  [`GET ${U}/:id`]: {
    expect: A_READ,
    call: async (w) => ({ path: `${U}/${(await itemsOnA(w)).user}` }),
  },
  [`POST ${U}/:id/rotate`]: {
    expect: A_ADMIN(503),
    call: async (w) => ({ path: `${U}/${(await itemsOnA(w)).user}/rotate` }),
  },
  [`GET ${U}/:id/password`]: {
    expect: A_ADMIN(200),
    call: async (w) => ({ path: `${U}/${(await itemsOnA(w)).user}/password` }),
  },
  [`POST ${U}/:id/grants`]: {
    expect: A_ADMIN(503),
    call: async (w) => {
      const made = await itemsOnA(w);
      return {
        path: `${U}/${made.user}/grants`,
        body: { grants: [{ databaseId: made.database, level: { kind: "read-only" } }] },
      };
    },
  },
  [`POST ${U}/:id/revoke`]: {
    expect: A_ADMIN(503),
    call: async (w) => {
      const made = await itemsOnA(w);
      return { path: `${U}/${made.user}/revoke`, body: { databaseIds: [made.database] } };
    },
  },
  [`DELETE ${U}/:id`]: {
    expect: A_ADMIN(503),
    call: async (w) => {
      const made = await itemsOnA(w);
      return { path: `${U}/${made.user}?confirm=${made.name}` };
    },
  },
};
