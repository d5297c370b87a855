// Real `steward serve` processes on one fresh PostgreSQL database, with a super user's API key
// made by the CLI on the same database and master key: the topology and reverse-proxy tests.
import { randomBytes } from "node:crypto";
import { openPostgres } from "@steward/server";
import { migratedPostgresDatabase } from "@steward/server/testing/test-db";
import { workerPool } from "@steward/server/testing/worker-process";
import { cliFor, PASSWORD, removeDataDirs } from "./cli.ts";

export async function panelsOnPostgres() {
  const masterKey = randomBytes(32).toString("base64");
  const url = await migratedPostgresDatabase();
  const db = openPostgres(url);
  const c = cliFor(undefined, { STEWARD_DATABASE_URL: url, STEWARD_MASTER_KEY: masterKey });
  await c.json(["user", "create", "--email", "ops@example.com", "--super"], { input: PASSWORD });
  const { key } = await c.json<{ key: string }>(["apikey", "create", "--user", "ops@example.com"]);
  const pool = workerPool(url, masterKey);
  const close = async () => {
    await pool.stopAll();
    await db.close();
    removeDataDirs();
  };
  return { db, key, pool, close };
}

/** POST /api/v1/tasks of a noop task on the API at `base`; the new task's id. */
export async function createNoop(
  base: string,
  key: string,
  payload: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<string> {
  const res = await fetch(`${base}/api/v1/tasks`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: JSON.stringify({ kind: "noop", payload }),
  });
  const body = (await res.json()) as { id: string };
  if (res.status !== 201)
    throw new Error(`POST /api/v1/tasks: ${res.status} ${JSON.stringify(body)}`);
  return body.id;
}
