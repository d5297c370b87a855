// Test support for the whole path with real components: a node enrolled through the public
// enrollment endpoint, its agent running on a loopback address with a hermetic nginx, and
// waiting for the tasks that drive it.
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AgentServer, enroll, loadConfig, startAgent } from "@steward/agent";
import { nginxSection } from "@steward/agent/testing";
import {
  freePort,
  type MariadbServer,
  type NginxServer,
  type PostgresServer,
} from "@steward/testkit";
import pino from "pino";
import { findTask, logsAfter } from "../modules/tasks/repo.ts";
import type { TestServer } from "./harness.ts";

export interface EnrolledNode {
  id: string;
  /** the agent's own directory (0700: its key) */
  dir: string;
  /** sites, logs and certificates, apart from the agent's directory */
  web: string;
  port: number;
  agent: AgentServer | null;
  /** stops the agent and removes its directories */
  close(): Promise<void>;
}

export interface RealNode extends EnrolledNode {
  nginx: NginxServer;
}

/**
 * Creates a node, enrolls an agent for it with a single-use token listening on `listen` (an
 * address), and starts it; `agentJson` adds to its agent.json. No nginx: for what needs none
 * (a node's database servers).
 */
export async function enrollNode(
  s: TestServer,
  key: string,
  o: { name: string; listen: string; agentJson?: Record<string, unknown> },
): Promise<EnrolledNode> {
  const port = await freePort();
  const created = await s.request("POST", "/api/v1/nodes", {
    key,
    body: { name: o.name, agentUrl: `https://${o.listen}:${port}` },
  });
  if (created.status !== 201) throw new Error(`node: ${JSON.stringify(created.body)}`);
  const token = await s.request("POST", `/api/v1/nodes/${created.body.id}/enrollment-token`, {
    key,
  });
  if (token.status !== 201) throw new Error(`token: ${JSON.stringify(token.body)}`);
  const dir = await mkdtemp(join(tmpdir(), "steward-node-"));
  const web = await mkdtemp(join(tmpdir(), "steward-web-"));
  chmodSync(web, 0o755);
  await enroll({ panel: s.url, token: token.body.token, dir, listen: `${o.listen}:${port}` });
  const file = join(dir, "agent.json");
  const json = JSON.parse(readFileSync(file, "utf8"));
  Object.assign(json, {
    systemd: false,
    phpFpm: { bin: "/nonexistent/php-fpm", poolDir: join(web, "pools") },
    // apart from the agent's own directory (0700: its key): nginx's workers read the sites
    sitesRoot: join(web, "sites"),
    logDir: join(web, "log"),
    tlsDir: join(web, "tls"),
    ...o.agentJson,
  });
  writeFileSync(file, JSON.stringify(json), { mode: 0o600 });
  const node: EnrolledNode = {
    id: created.body.id,
    dir,
    web,
    port,
    agent: null,
    async close() {
      await node.agent?.close(1000);
      await rm(dir, { recursive: true, force: true });
      await rm(web, { recursive: true, force: true });
    },
  };
  node.agent = await startAgent(loadConfig(dir), { logger: pino({ level: "silent" }) });
  return node;
}

/**
 * Creates a node, enrolls an agent for it with a single-use token on `nginx`'s address, and
 * starts it with `nginx` instead of the distribution's; `agentJson` adds to its agent.json.
 */
export async function enrollRealNode(
  s: TestServer,
  key: string,
  o: { name: string; nginx: NginxServer; agentJson?: Record<string, unknown> },
): Promise<RealNode> {
  const node = await enrollNode(s, key, {
    name: o.name,
    listen: o.nginx.listen,
    agentJson: { nginx: nginxSection(o.nginx), ...o.agentJson },
  });
  return Object.assign(node, { nginx: o.nginx });
}

/**
 * agent.json's `databases` for a node whose own servers are these hermetic ones: MariaDB's
 * root by its socket, PostgreSQL's superuser by its socket, users logging in over TCP.
 */
export const nodeDatabases = (mariadb: MariadbServer, postgres: PostgresServer) => ({
  mariadb: { socket: mariadb.socket, adminUser: "root" },
  postgres: nodePostgres(postgres),
});

/** agent.json's `databases.postgres` for a node whose own PostgreSQL is this one. */
export const nodePostgres = (postgres: PostgresServer) => ({
  socketDir: postgres.socketDir,
  port: postgres.port,
  adminUser: "steward",
  loginHost: "127.0.0.1",
});

/** Waits for the task to end; returns its final row. */
export async function settleTask(s: Pick<TestServer, "svc">, taskId: string, ms = 30_000) {
  const end = Date.now() + ms;
  for (;;) {
    const t = await findTask(s.svc.db.db, taskId);
    if (!t) throw new Error(`no task ${taskId}`);
    if (["succeeded", "failed", "cancelled"].includes(t.state)) return t;
    if (Date.now() > end) throw new Error(`task ${taskId} still ${t.state}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The task's log, its lines in the order they were written. */
export const taskLogText = async (s: Pick<TestServer, "svc">, taskId: string) =>
  (await logsAfter(s.svc.db.db, taskId, undefined, 10_000)).map((l) => l.message).join("\n");
