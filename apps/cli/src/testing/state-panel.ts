// A real `steward serve` for the `steward state` tests: a super user's and an account
// admin's API keys made with the CLI on its data directory, and node web-1 (marked trusted in
// the SQLite file: enrollment is the node tests' subject, and a state only names its nodes).
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { freePort } from "@steward/testkit";
import { cliFor, PASSWORD, spawnServe } from "./cli.ts";
import { until } from "./local-agent.ts";

export const started: ChildProcess[] = [];

export async function statePanel() {
  const masterKey = randomBytes(32).toString("base64");
  const c = cliFor(undefined, { STEWARD_MASTER_KEY: masterKey });
  // the first command migrates the new database; the others can then run at once
  await c.json(["user", "create", "--email", "ops@example.com", "--super"], { input: PASSWORD });
  const agentUrl = `https://127.0.0.1:${await freePort()}`;
  const [{ key }, admin, node] = await Promise.all([
    c.json<{ key: string }>(["apikey", "create", "--user", "ops@example.com"]),
    c
      .json(["user", "create", "--email", "admin@example.com"], { input: PASSWORD })
      .then(() => c.json<{ key: string }>(["apikey", "create", "--user", "admin@example.com"])),
    c.json<{ id: string }>(["node", "add", "--name", "web-1", "--agent-url", agentUrl]),
  ]);
  const db = new DatabaseSync(join(c.dataDir, "steward.db"));
  db.prepare("UPDATE nodes SET state = 'trusted' WHERE id = ?").run(node.id);
  db.close();
  const port = await freePort();
  const child = spawnServe(c.dataDir, port, {
    STEWARD_MASTER_KEY: masterKey,
    STEWARD_LOG_LEVEL: "warn",
  });
  started.push(child);
  const url = `http://127.0.0.1:${port}`;
  await until("the panel answers", async () =>
    (await fetch(`${url}/healthz`)).status === 200 ? true : undefined,
  );
  /** A call of the panel's API as the super user; the answer's JSON, or an error. */
  async function api<T = { id: string }>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
  return { c, url, key, adminKey: admin.key, nodeId: node.id, api };
}
export type StatePanel = Awaited<ReturnType<typeof statePanel>>;
