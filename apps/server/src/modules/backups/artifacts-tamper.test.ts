// A MariaDB artifact in a node's directory through the panel on a real enrolled agent (the
// node's own MariaDB, hermetic, once per file): restored into a renamed database with the
// dump's row counts and verified by the plan's test-restore schedule; then one flipped byte fails the test restore, the failure is
// recorded on the artifact (verifiedAt gone, verifyError said), no throwaway database is left,
// and the download as stored (through the node's agent) is the tampered file.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MariadbServer, type NginxServer, startMariadb, startNginx } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminOf,
  countsIn,
  databasePlan,
  databasesOn,
  download,
  ROWS,
  runToArtifact,
  settled,
} from "../../testing/backup-restore.ts";
import { enrollRealNode, type RealNode, settleTask } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

let mariadb: MariadbServer;
let nginx: NginxServer;
let dir: string;

beforeAll(async () => {
  const [m, n] = await Promise.all([startMariadb(), startNginx({ listen: "127.0.0.10" })]);
  if (!m || !n) throw new Error("MariaDB and nginx are needed");
  [mariadb, nginx] = [m, n];
  dir = mkdtempSync(join(tmpdir(), "stw-artifacts-tamper-"));
}, 120_000);
afterAll(async () => {
  await Promise.all([mariadb?.stop(), nginx?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe("a damaged database artifact through the panel", () => {
  const s = useServer("sqlite");
  const w = useWorld(s);
  let node: RealNode;
  const api = (method: string, url: string, body?: unknown, key = w.keys.accountAdmin) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    s.svc.engine.startWorker();
    node = await enrollRealNode(s, w.keys.super, {
      name: "tamper-node",
      nginx,
      agentJson: { databases: { mariadb: { socket: mariadb.socket, adminUser: "root" } } },
    });
  }, 120_000);
  afterAll(() => node?.close());

  it("restores MariaDB from a node's directory renamed, and a flipped byte fails the test restore", async () => {
    const disk = join(dir, "mariadb");
    const { plan } = await databasePlan(api, w.keys.super, {
      engine: "mariadb",
      access: adminOf(mariadb),
      nodeId: node.id,
      accountId: w.a,
      mode: "none",
      destination: {
        name: "disk",
        accountId: w.a,
        settings: { kind: "local", nodeId: node.id, path: disk },
        saveAnyway: true,
      },
    });
    const artifact = await runToArtifact(s, api, plan);
    const restore = `/api/v1/backup-artifacts/${artifact.id}/restore`;
    const copy = await settled(api, s, restore, {
      target: { kind: "database", database: "shop_copy" },
    });
    expect(copy.task.state, copy.task.last_error ?? "").toBe("succeeded");
    expect(await countsIn(adminOf(mariadb), "shop_copy")).toEqual(ROWS);

    // the plan's test-restore schedule: its recurring task, run now, test-restores the newest
    // unverified artifact
    const scheduled = await api("PATCH", `/api/v1/backup-plans/${plan}`, {
      verify: { schedule: "0 4 * * 0", timeZone: "Europe/Paris" },
    });
    expect(scheduled.body.verify).toEqual({ schedule: "0 4 * * 0", timeZone: "Europe/Paris" });
    const row = await s.svc.db.db
      .selectFrom("backup_plans")
      .select("verify_task_id")
      .where("id", "=", plan)
      .executeTakeFirstOrThrow();
    const ran = await api("POST", `/api/v1/tasks/${row.verify_task_id}/run`, {}, w.keys.super);
    expect(ran.status, JSON.stringify(ran.body)).toBe(200);
    let verifyTask: { id: string } | undefined;
    for (let i = 0; i < 300 && !verifyTask; i++) {
      verifyTask = await s.svc.db.db
        .selectFrom("tasks")
        .select("id")
        .where("kind", "=", "backup.verify")
        .where("target_id", "=", artifact.id)
        .executeTakeFirst();
      if (!verifyTask) await new Promise((r) => setTimeout(r, 100));
    }
    expect((await settleTask(s, String(verifyTask?.id), 90_000)).state).toBe("succeeded");
    const verified = await api("GET", `/api/v1/backup-artifacts/${artifact.id}`);
    expect(verified.body.verifiedAt).not.toBeNull();

    const verify = `/api/v1/backup-artifacts/${artifact.id}/verify`;

    const file = join(disk, artifact.name);
    const bytes = readFileSync(file);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    writeFileSync(file, bytes);
    const tampered = await settled(api, s, verify, {});
    expect(tampered.task.state).toBe("failed");
    const after = await api("GET", `/api/v1/backup-artifacts/${artifact.id}`);
    expect(after.body).toMatchObject({ verifiedAt: null });
    expect(after.body.verifyError).toMatch(/test restore failed/);
    expect(after.body.verifyCheckedAt).not.toBeNull();
    expect(readdirSync(disk).sort()).toEqual([artifact.name, `${artifact.name}.meta.json`]);
    // as stored: what is in the node's directory, tampered byte included
    const local = await download(
      `${s.url}/api/v1/backup-artifacts/${artifact.id}/download`,
      w.keys.accountAdmin,
    );
    expect(local.status).toBe(200);
    expect(local.bytes.equals(bytes)).toBe(true);
    expect((await databasesOn(adminOf(mariadb))).filter((d) => d.startsWith("steward_"))).toEqual(
      [],
    );
  }, 180_000);
});
