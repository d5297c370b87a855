// The access matrix's rows for the SQL console (issue 14), spread into
// http/access-matrix.test.ts: a database is seen by its server's readers (their own history),
// read through the console by its operators, written by its admins; strangers are told it
// does not exist. The database here has no user of its own, so an allowed call answers 409
// (authorized, then nothing to log in as) without a database server. Statuses in the order
// of fixtures' ACTORS.
import { newId } from "../lib/ids.ts";
import { insertDatabase, insertUser } from "../modules/databases/items-repo.ts";
import { insertServer } from "../modules/databases/repo.ts";
import type { ActorName, World } from "./fixtures.ts";

type Statuses = [number, number, number, number, number, number, number];
interface Row {
  expect: Statuses;
  call(w: World, who: ActorName): Promise<{ path: string; body?: unknown }>;
}

const A_READ: Statuses = [200, 200, 200, 200, 404, 404, 200];
const A_OPERATE = (ok: number): Statuses => [ok, ok, ok, 403, 404, 404, 403];

/** a database of account A on an on-node server, its user's password not kept */
async function databaseOnA(w: World) {
  const k = w.s.svc.db.db;
  const server = newId("dbs");
  const database = newId("dbd");
  const user = newId("dbu");
  await insertServer(k, {
    id: server,
    account_id: w.a,
    name: `console-${w.unique()}`,
    engine: "postgres",
    placement: "on-node",
    node_id: "nod_00000000000000000000000000",
    created_at: 0,
    updated_at: 0,
  });
  await insertDatabase(k, {
    id: database,
    server_id: server,
    account_id: w.a,
    engine: "postgres",
    name: "shop",
    created_at: 0,
    updated_at: 0,
  });
  await insertUser(
    k,
    {
      id: user,
      server_id: server,
      account_id: w.a,
      engine: "postgres",
      name: "shop_u",
      created_at: 0,
      updated_at: 0,
    },
    [{ database_id: database, level: { kind: "all" } }],
  );
  return database;
}

export const DATABASE_CONSOLE_ROWS: Record<string, Row> = {
  "GET /api/v1/query-library": {
    expect: [200, 200, 200, 200, 200, 200, 200],
    call: async () => ({ path: "/api/v1/query-library?engine=postgres" }),
  },
  "POST /api/v1/databases/:id/query": {
    expect: A_OPERATE(409),
    call: async (w) => ({
      path: `/api/v1/databases/${await databaseOnA(w)}/query`,
      body: { sql: "SELECT 1" },
    }),
  },
  "GET /api/v1/databases/:id/queries": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/databases/${await databaseOnA(w)}/queries` }),
  },
};
