// Test support for restores through the panel: a node's own servers as its agent reaches them
// (to fill a database behind the API and count its rows), and a run of a plan settled.
import { createHash } from "node:crypto";
import { asAdmin, type ServerAccess } from "@steward/agent/databases";
import type { MariadbServer, PostgresServer } from "@steward/testkit";
import { expect } from "vitest";
import type { TestServer } from "./harness.ts";
import { settleTask } from "./real-node.ts";

export const ROWS = { orders: 120, customers: 7 };

/** Database names a restore must refuse (naming target.database) on either engine. */
export const HOSTILE_DATABASE_NAMES = [
  "shop'x",
  'shop"x',
  "a`b",
  "a;b",
  "a--b",
  "a\u0000b",
  "a\nb",
  "..",
  "../x",
  "select",
  "postgres",
  "Shop",
  "x".repeat(64),
];

/** A download: its status, Content-Disposition, bytes and their SHA-256. */
export async function download(url: string, key: string) {
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return {
    status: res.status,
    disposition: res.headers.get("content-disposition"),
    bytes,
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
}

/** The server as its node's agent reaches it (MariaDB's root, PostgreSQL's superuser). */
export function adminOf(server: MariadbServer | PostgresServer): ServerAccess {
  if ("socket" in server) {
    const place = { kind: "socket" as const, path: server.socket };
    return { engine: "mariadb", admin: place, credentials: { user: "root" }, login: place };
  }
  const place = { kind: "socket" as const, path: server.socketDir, port: server.port };
  return { engine: "postgres", admin: place, credentials: { user: "steward" }, login: place };
}

export async function fill(access: ServerAccess, database: string) {
  await asAdmin(access, ({ inDatabase }) =>
    inDatabase(database, async (session) => {
      for (const [table, rows] of Object.entries(ROWS)) {
        await session.query(`CREATE TABLE ${table} (id integer PRIMARY KEY, note varchar(40))`);
        const values = Array.from({ length: rows }, (_, i) => `(${i + 1}, 'it''s; -- ${i}')`);
        await session.query(`INSERT INTO ${table} VALUES ${values.join(", ")}`);
      }
    }),
  );
}

/** Rows of each table of ROWS in the database. */
export const countsIn = (access: ServerAccess, database: string) =>
  asAdmin(access, ({ inDatabase }) =>
    inDatabase(database, async (session) => {
      const out: Record<string, number> = {};
      for (const table of Object.keys(ROWS)) {
        const [row] = await session.query<{ n: number | string }>(
          `SELECT count(*) AS n FROM ${table}`,
        );
        out[table] = Number(row?.n);
      }
      return out;
    }),
  );

export const databasesOn = (access: ServerAccess) =>
  asAdmin(access, async ({ session }) => {
    const sql =
      access.engine === "mariadb"
        ? "SELECT schema_name AS name FROM information_schema.schemata"
        : "SELECT datname AS name FROM pg_database";
    return (await session.query<{ name: string }>(sql)).map((r) => r.name);
  });

type Api = (
  method: string,
  url: string,
  body?: unknown,
  key?: string,
) => ReturnType<TestServer["request"]>;

/** Runs the plan now, waits for its runs; answers its (one) artifact. */
export async function runToArtifact(s: TestServer, api: Api, planId: string) {
  const ran = await api("POST", `/api/v1/backup-plans/${planId}/run`);
  expect(ran.status, JSON.stringify(ran.body)).toBe(202);
  for (const r of ran.body.runs) await settleTask(s, r.taskId, 90_000);
  const artifacts = await api("GET", `/api/v1/backup-artifacts?plan=${planId}`);
  expect(artifacts.body.items, JSON.stringify(artifacts.body)).toHaveLength(1);
  return artifacts.body.items[0] as { id: string; name: string };
}

/** Asks for a restore or test restore and waits for its task: the task's row. */
export async function settled(api: Api, s: TestServer, url: string, body: unknown, key?: string) {
  const asked = await api("POST", url, body, key);
  expect(asked.status, JSON.stringify(asked.body)).toBe(202);
  const task = await settleTask(s, asked.body.taskId, 90_000);
  return { task, result: task.result ? JSON.parse(task.result) : null, taskId: asked.body.taskId };
}

/** A server of the node's own (its agent's agent.json names it), made by a super user. */
export async function onNodeServer(
  api: Api,
  superKey: string,
  o: { engine: string; nodeId: string; accountId: string },
) {
  const made = await api(
    "POST",
    "/api/v1/database-servers",
    { name: `${o.engine}-${o.nodeId}-${o.accountId}`, placement: "on-node", ...o },
    superKey,
  );
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return made.body.id as string;
}

/**
 * A database of the account made through the API on the node's own server and filled (ROWS),
 * a destination, and a plan backing the database up into it with this encryption mode.
 */
export async function databasePlan(
  api: Api,
  superKey: string,
  o: {
    engine: "mariadb" | "postgres";
    access: ServerAccess;
    nodeId: string;
    accountId: string;
    destination: unknown;
    mode: string;
  },
) {
  const serverId = await onNodeServer(api, superKey, {
    engine: o.engine,
    nodeId: o.nodeId,
    accountId: o.accountId,
  });
  const name = `shop_${o.engine.slice(0, 2)}`;
  const db = await api("POST", "/api/v1/databases", { serverId, name });
  expect(db.status, JSON.stringify(db.body)).toBe(201);
  await fill(o.access, name);
  const source = await api("POST", "/api/v1/backup-sources", {
    name: `${o.engine} shop`,
    accountId: o.accountId,
    source: { kind: "database", databaseId: db.body.id },
  });
  expect(source.status, JSON.stringify(source.body)).toBe(201);
  const dest = await api("POST", "/api/v1/backup-destinations", o.destination, superKey);
  expect(dest.status, JSON.stringify(dest.body)).toBe(201);
  const plan = await api("POST", "/api/v1/backup-plans", {
    name: `${o.engine} nightly`,
    accountId: o.accountId,
    sourceIds: [source.body.id],
    destinationIds: [dest.body.id],
    encryption: { mode: o.mode },
  });
  expect(plan.status, JSON.stringify(plan.body)).toBe(201);
  return { plan: plan.body.id as string, name, serverId };
}
