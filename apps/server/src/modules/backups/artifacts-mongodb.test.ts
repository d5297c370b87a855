// A MongoDB archive restored through the panel on a real enrolled agent. No MongoDB server or
// tools install here (docs/backups.md): the archive is written as another panel's agent would
// (mongodump's stream through the pipeline, kind mongodb in its sidecar) into the node's
// directory and imported; its restore resolves the MongoDB source whose deployment receives it
// (a super user's, like the source), refuses what does not fit naming the field, and the
// task runs mongorestore on the node — which is not installed, so the task fails saying so,
// with the source's URI (and its password) in no task row, log or answer.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { openDestination, runBackup } from "@steward/agent/backups";
import { destinationSettings } from "@steward/contracts/backups";
import { type NginxServer, startNginx } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrollRealNode, type RealNode, settleTask } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const SECRET = "m0ng0-pa55";
const URI = `mongodb://restore:${SECRET}@db.example.net:27017/?authSource=admin`;
let nginx: NginxServer;
let dir: string;

beforeAll(async () => {
  const n = await startNginx({ listen: "127.0.0.9" });
  if (!n) throw new Error("nginx is needed");
  nginx = n;
  dir = mkdtempSync(join(tmpdir(), "stw-artifacts-mongo-"));
}, 60_000);
afterAll(async () => {
  await nginx?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("MongoDB archives restored through the panel", () => {
  const s = useServer("sqlite");
  const w = useWorld(s);
  let node: RealNode;
  const api = (method: string, url: string, body?: unknown, key = w.keys.super) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    s.svc.engine.startWorker();
    node = await enrollRealNode(s, w.keys.super, { name: "mongo-node", nginx });
  }, 120_000);
  afterAll(() => node?.close());

  it("resolves the target source, refuses what does not fit, and runs mongorestore on the node", async () => {
    const store = join(dir, "store");
    const settings = { kind: "local", nodeId: node.id, path: store } as const;
    const made = await runBackup({
      source: Readable.from([Buffer.alloc(64 * 1024, "mongo-archive-")]),
      sourceInfo: { kind: "mongodb", nodeId: node.id, description: "shop", producer: "mongodump" },
      name: "shop-1.archive.zst",
      compressionLevel: 1,
      recipients: [],
      destinations: [
        { id: "d", destination: openDestination(destinationSettings.parse(settings)) },
      ],
    });
    expect(made.status).toBe("succeeded");
    const dest = await api("POST", "/api/v1/backup-destinations", {
      name: "disk",
      accountId: w.a,
      settings,
      saveAnyway: true,
    });
    expect(dest.status, JSON.stringify(dest.body)).toBe(201);
    const imported = await api("POST", `/api/v1/backup-destinations/${dest.body.id}/import`, {
      names: ["shop-1.archive.zst"],
    });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const artifact = imported.body.imported[0].id as string;
    const source = await api("POST", "/api/v1/backup-sources", {
      name: "mongo",
      accountId: w.a,
      source: { kind: "mongodb", nodeId: node.id, uri: URI, database: "shop" },
      saveAnyway: true,
    });
    expect(source.status, JSON.stringify(source.body)).toBe(201);
    const files = await api("POST", "/api/v1/backup-sources", {
      name: "www",
      accountId: w.a,
      source: { kind: "files", nodeId: node.id, path: "/srv/www" },
    });
    const restore = `/api/v1/backup-artifacts/${artifact}/restore`;
    const tasksBefore = await s.svc.db.db.selectFrom("tasks").select("id").execute();

    const refused = [
      [{ target: { kind: "database" } }, "target.kind", w.keys.super],
      [{ target: { kind: "mongodb" } }, "target.sourceId", w.keys.super],
      [{ target: { kind: "mongodb", sourceId: files.body.id } }, "target.sourceId", w.keys.super],
      [{ target: { kind: "mongodb", sourceId: "bks_x;y" } }, "target.sourceId", w.keys.super],
      [
        { target: { kind: "mongodb", sourceId: source.body.id, database: "a.b" } },
        "target.database",
        w.keys.super,
      ],
      [
        { target: { kind: "mongodb", sourceId: source.body.id, database: "x".repeat(64) } },
        "target.database",
        w.keys.super,
      ],
    ] as const;
    for (const [body, field, key] of refused) {
      const res = await api("POST", restore, body, key);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(res.body.error.details), JSON.stringify(body)).toContain(field);
    }
    // an account admin may not restore into a MongoDB deployment (a super user's source)
    const tenant = await api(
      "POST",
      restore,
      { target: { kind: "mongodb", sourceId: source.body.id } },
      w.keys.accountAdmin,
    );
    expect(tenant.status).toBe(403);
    expect(await s.svc.db.db.selectFrom("tasks").select("id").execute()).toEqual(tasksBefore);

    const asked = await api("POST", restore, {
      target: { kind: "mongodb", sourceId: source.body.id, database: "shop_copy", drop: true },
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    const task = await settleTask(s, asked.body.taskId, 90_000);
    expect(task.state).toBe("failed");
    expect(task.last_error).toMatch(/mongorestore/);
    const everything = JSON.stringify([
      await s.svc.db.db.selectFrom("tasks").selectAll().execute(),
      await s.svc.db.db.selectFrom("task_logs").selectAll().execute(),
    ]);
    expect(everything).toContain("shop_copy");
    expect(everything).not.toContain(SECRET);
  }, 180_000);
});
