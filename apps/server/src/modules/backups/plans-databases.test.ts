// Database backups through the panel, end to end: a real enrolled agent whose node has its own
// MariaDB and PostgreSQL (hermetic, once per file); each is added as an on-node database server,
// a database is made through the API and filled behind it; a plan with a `server` source (every
// database Steward knows on it) runs now into the node's directory. The run dumps with the
// engine's own tool on the node (backup.run → openBackupSource), the artifact is recorded, and
// its sidecar carries the row counts the test restore compares with; the agent's test restore
// (backup.verify) of that artifact is verified.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type MariadbServer,
  type NginxServer,
  type PostgresServer,
  startMariadb,
  startNginx,
  startPostgres,
} from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminOf, fill, ROWS } from "../../testing/backup-restore.ts";
import {
  enrollRealNode,
  nodeDatabases,
  type RealNode,
  settleTask,
} from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

let mariadb: MariadbServer;
let postgres: PostgresServer;
let nginx: NginxServer;
let dir: string;

beforeAll(async () => {
  const [m, p, n] = await Promise.all([
    startMariadb(),
    startPostgres(),
    startNginx({ listen: "127.0.0.7" }),
  ]);
  if (!m || !p || !n) throw new Error("MariaDB, PostgreSQL and nginx are needed");
  [mariadb, postgres, nginx] = [m, p, n];
  dir = mkdtempSync(join(tmpdir(), "stw-plans-db-"));
}, 120_000);
afterAll(async () => {
  await Promise.all([mariadb?.stop(), postgres?.stop(), nginx?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe("database backup plans on a real agent", () => {
  const s = useServer("sqlite");
  const w = useWorld(s);
  let node: RealNode;
  const api = (method: string, url: string, body?: unknown, key = w.keys.accountAdmin) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    s.svc.engine.startWorker();
    node = await enrollRealNode(s, w.keys.super, {
      name: "db-backup-node",
      nginx,
      agentJson: {
        databases: nodeDatabases(mariadb, postgres),
      },
    });
  }, 120_000);
  afterAll(() => node?.close());

  it.each(["mariadb", "postgres"] as const)(
    "backs up every database of the node's %s, with row counts the test restore verifies",
    async (engine) => {
      const server = await api("POST", "/api/v1/database-servers", {
        name: `${engine}-on-node`,
        engine,
        accountId: w.a,
        placement: "on-node",
        nodeId: node.id,
      });
      expect(server.status, JSON.stringify(server.body)).toBe(201);
      const name = `shop_${engine.slice(0, 2)}`;
      const db = await api("POST", "/api/v1/databases", { serverId: server.body.id, name });
      expect(db.status, JSON.stringify(db.body)).toBe(201);
      await fill(adminOf(engine === "mariadb" ? mariadb : postgres), name);

      const source = await api("POST", "/api/v1/backup-sources", {
        name: `${engine} server`,
        accountId: w.a,
        source: { kind: "server", serverId: server.body.id },
      });
      expect(source.status, JSON.stringify(source.body)).toBe(201);
      const disk = join(dir, engine);
      const destination = await api(
        "POST",
        "/api/v1/backup-destinations",
        {
          name: `${engine} disk`,
          accountId: w.a,
          settings: { kind: "local", nodeId: node.id, path: disk },
          saveAnyway: true,
        },
        w.keys.super,
      );
      expect(destination.status, JSON.stringify(destination.body)).toBe(201);
      const plan = await api("POST", "/api/v1/backup-plans", {
        name: `${engine} nightly`,
        accountId: w.a,
        sourceIds: [source.body.id],
        destinationIds: [destination.body.id],
        schedule: null,
        encryption: { mode: "none" },
        retention: { keepLast: 3 },
      });
      expect(plan.status, JSON.stringify(plan.body)).toBe(201);

      const ran = await api("POST", `/api/v1/backup-plans/${plan.body.id}/run`);
      expect(ran.status, JSON.stringify(ran.body)).toBe(202);
      const runs = ran.body.runs as { runId: string; taskId: string; description: string }[];
      expect(runs.map((r) => r.description)).toEqual([name]);
      for (const r of runs) await settleTask(s, r.taskId, 90_000);
      const run = await api("GET", `/api/v1/backup-runs/${runs[0]?.runId}`);
      expect(run.body, JSON.stringify(run.body)).toMatchObject({
        status: "succeeded",
        error: null,
      });

      const artifacts = await api("GET", `/api/v1/backup-artifacts?plan=${plan.body.id}`);
      expect(artifacts.body.items).toHaveLength(1);
      const artifact = artifacts.body.items[0].name as string;
      expect(readdirSync(disk).sort()).toEqual([artifact, `${artifact}.meta.json`]);
      const sidecar = JSON.parse(readFileSync(join(disk, `${artifact}.meta.json`), "utf8"));
      expect(sidecar.source).toMatchObject({ kind: engine, description: name });
      const counts = Object.fromEntries(
        (sidecar.source.rowCounts as { table: string; rows: number }[]).map((c) => [
          c.table.replace(/^public\./, ""),
          c.rows,
        ]),
      );
      expect(counts).toEqual(ROWS);

      // the node's agent test-restores it into a throwaway database and compares the counts
      const verified = await s.svc.agents.runOperation(node.id, "backup.verify", {
        destination: { kind: "local", nodeId: node.id, path: disk },
        artifact,
        engine,
        server: { kind: "local" },
      });
      expect(verified.output, JSON.stringify(verified)).toMatchObject({ verified: true });
    },
    180_000,
  );
});
