// Backup plans end to end with a real agent: a node enrolled through the API backs up one of
// its directories through the task engine into its own directory and s3rver at once (run now,
// 202 with the tasks); a third destination that accepts and then fails every upload makes a
// run partial with a backup.partial event; artifacts are recorded per destination; keep-last
// retention deletes the older artifact from the disk and from S3 (through the agent's
// operation) and marks it deleted. Cross-account sources and destinations, another node's
// directory, bad schedules and time zones are refused naming the field (the hostile values of
// every field: plans-hostile.test.ts).
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type NginxServer, type S3Server, startNginx, startS3rver } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrollRealNode, type RealNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { findTask } from "../tasks/repo.ts";

let s3: S3Server;
let nginx: NginxServer;
let dir: string;

beforeAll(async () => {
  const [bucket, web] = await Promise.all([startS3rver(), startNginx({ listen: "127.0.0.6" })]);
  if (!web) throw new Error("nginx is needed");
  [s3, nginx] = [bucket, web];
  dir = mkdtempSync(join(tmpdir(), "stw-plans-"));
  mkdirSync(join(dir, "site", "cache"), { recursive: true });
  writeFileSync(join(dir, "site", "index.html"), "<h1>shop</h1>\n");
  writeFileSync(join(dir, "site", "cache", "x.tmp"), "left out");
  // incompressible and over S3's 5 MiB part: the upload is multipart (the broken proxy's case)
  writeFileSync(join(dir, "site", "media.bin"), randomBytes(6 * 1024 * 1024));
}, 60_000);
afterAll(async () => {
  await Promise.all([s3?.stop(), nginx?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe("backup plans on a real agent", () => {
  const s = useServer("sqlite", { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  let node: RealNode;
  const api = (method: string, url: string, body?: unknown, key = w.keys.accountAdmin) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  const ids: Record<string, string> = {};

  const destination = async (name: string, settings: Record<string, unknown>, accountId = w.a) => {
    const made = await api(
      "POST",
      "/api/v1/backup-destinations",
      { name, accountId, settings, saveAnyway: true },
      w.keys.super,
    );
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return made.body.id as string;
  };
  const bucket = (endpoint: string, prefix: string) => ({
    kind: "s3",
    endpoint,
    bucket: s3.bucket,
    prefix,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
  });
  const plan = async (body: Record<string, unknown>) => {
    const made = await api("POST", "/api/v1/backup-plans", { accountId: w.a, ...body });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return made.body.id as string;
  };
  const runNow = async (planId: string) => {
    const ran = await api("POST", `/api/v1/backup-plans/${planId}/run`, undefined, w.keys.operator);
    expect(ran.status, JSON.stringify(ran.body)).toBe(202);
    const runs = ran.body.runs as { runId: string; taskId: string }[];
    for (const r of runs) await settleTask(s, r.taskId, 60_000);
    return runs;
  };

  beforeAll(async () => {
    s.svc.engine.startWorker();
    node = await enrollRealNode(s, w.keys.super, { name: "backup-node", nginx });
    const source = await api(
      "POST",
      "/api/v1/backup-sources",
      {
        name: "shop files",
        accountId: w.a,
        source: { kind: "files", nodeId: node.id, path: join(dir, "site"), excludes: ["cache/**"] },
      },
      w.keys.super,
    );
    expect(source.status, JSON.stringify(source.body)).toBe(201);
    ids.source = source.body.id;
    ids.disk = await destination("disk", {
      kind: "local",
      nodeId: node.id,
      path: join(dir, "disk"),
    });
    ids.bucket = await destination("bucket", bucket(s3.endpoint, "plans"));
    ids.broken = await destination("broken", bucket(s3.brokenEndpoint, "broken"));
  }, 120_000);
  afterAll(() => node?.close());

  it("runs now into the node's directory and S3, records the artifacts, keeps the last one", async () => {
    ids.plan = await plan({
      name: "nightly",
      sourceIds: [ids.source],
      destinationIds: [ids.disk, ids.bucket],
      schedule: "0 3 * * *",
      timeZone: "Europe/Paris",
      encryption: { mode: "panel" },
      retention: { keepLast: 1 },
    });
    const shown = await api("GET", `/api/v1/backup-plans/${ids.plan}`, undefined, w.keys.reader);
    expect(shown.body).toMatchObject({ encryption: "panel", schedule: "0 3 * * *" });
    expect(shown.body.recipients).toHaveLength(1);
    expect(Date.parse(shown.body.nextRunAt)).toBeGreaterThan(Date.now());

    const [first] = await runNow(ids.plan);
    const run = await api("GET", `/api/v1/backup-runs/${first?.runId}`, undefined, w.keys.reader);
    expect(run.body, JSON.stringify(run.body)).toMatchObject({
      status: "succeeded",
      description: join(dir, "site"),
      nodeId: node.id,
      error: null,
    });
    expect(run.body.destinations.map((d: { id: string; error: null }) => [d.id, d.error])).toEqual([
      [ids.disk, null],
      [ids.bucket, null],
    ]);
    const log = await taskLogText(s, first?.taskId ?? "");
    expect(log).toMatch(/backing up .* on node/);
    // the agent's progress lines became the task's progress: bytes read, rate, each destination
    const task = await findTask(s.svc.db.db, first?.taskId ?? "");
    expect(task?.progress_message).toMatch(
      /^read [\d.]+ MiB at [\d.]+ MiB\/s; disk: [\d.]+ MiB; bucket: /,
    );
    const artifacts = await api(
      "GET",
      `/api/v1/backup-artifacts?plan=${ids.plan}`,
      undefined,
      w.keys.reader,
    );
    expect(artifacts.body.items).toHaveLength(2);
    expect(artifacts.body.items[0]).toMatchObject({
      runId: first?.runId,
      bytes: run.body.bytes,
      verifiedAt: null,
      deletedAt: null,
    });
    const name = artifacts.body.items[0].name as string;
    expect(name).toMatch(/\.tar\.zst\.enc$/);
    expect(readdirSync(join(dir, "disk")).sort()).toEqual([name, `${name}.meta.json`]);

    // the second run succeeds, then retention (keep the last one) deletes the first everywhere
    const [second] = await runNow(ids.plan);
    const after = await api(
      "GET",
      `/api/v1/backup-artifacts?plan=${ids.plan}`,
      undefined,
      w.keys.reader,
    );
    const byRun = (runId?: string) =>
      (
        after.body.items as { runId: string; deletedAt: string | null; destinationId: string }[]
      ).filter((a) => a.runId === runId);
    expect(byRun(first?.runId).map((a) => a.deletedAt !== null)).toEqual([true, true]);
    expect(byRun(second?.runId).map((a) => a.deletedAt)).toEqual([null, null]);
    expect(readdirSync(join(dir, "disk")).some((f) => f.startsWith(name))).toBe(false);
    expect(existsSync(join(s3.dir, s3.bucket, "plans", name))).toBe(false);
    expect(await taskLogText(s, second?.taskId ?? "")).toMatch(/retention deleted 1/);
  });

  it("is partial when one destination fails, with its error and a backup.partial event", async () => {
    const planId = await plan({
      name: "with a broken bucket",
      sourceIds: [ids.source],
      destinationIds: [ids.disk, ids.broken],
    });
    const [only] = await runNow(planId);
    const run = await api("GET", `/api/v1/backup-runs/${only?.runId}`, undefined, w.keys.reader);
    expect(run.body.status).toBe("partial");
    const broken = run.body.destinations.find((d: { id: string }) => d.id === ids.broken);
    expect(broken.error).toMatch(/internal error/i);
    const listed = await api(
      "GET",
      `/api/v1/backup-runs?plan=${planId}&status=partial`,
      undefined,
      w.keys.reader,
    );
    expect(listed.body.items.map((r: { id: string }) => r.id)).toEqual([only?.runId]);
    const artifacts = await api(
      "GET",
      `/api/v1/backup-artifacts?plan=${planId}`,
      undefined,
      w.keys.reader,
    );
    expect(artifacts.body.items.map((a: { destinationId: string }) => a.destinationId)).toEqual([
      ids.disk,
    ]);
    const events = await s.svc.db.db
      .selectFrom("events")
      .select(["type", "fields"])
      .where("type", "like", "backup.%")
      .execute();
    expect(events.map((e) => e.type)).toContain("backup.partial");
    const partial = events.find((e) => e.type === "backup.partial");
    expect(JSON.parse(partial?.fields ?? "{}")).toMatchObject({ backupId: only?.runId });
    // a destination a plan writes to is not deleted: 409 naming the plan, nothing changed
    const remove = await api("DELETE", `/api/v1/backup-destinations/${ids.broken}`);
    expect(remove.status).toBe(409);
    expect(remove.body.error.message).toContain("with a broken bucket");
    expect((await api("GET", `/api/v1/backup-destinations/${ids.broken}`)).status).toBe(200);
  });

  it("refuses other accounts' parts, another node's directory and bad schedules, naming the field", async () => {
    const otherDisk = await destination(
      "b's disk",
      { kind: "local", nodeId: node.id, path: join(dir, "b") },
      w.b,
    );
    const elsewhere = await destination("elsewhere", {
      kind: "local",
      nodeId: "nod_00000000000000000000000000",
      path: "/var/backups",
    });
    const valid = {
      name: "p",
      accountId: w.a,
      sourceIds: [ids.source],
      destinationIds: [ids.disk],
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ destinationIds: [otherDisk] }, "destinationIds"],
      [{ destinationIds: [elsewhere] }, "destinationIds"],
      [{ sourceIds: ["bks_nothere"] }, "sourceIds"],
      [{ schedule: "61 * * * *" }, "schedule"],
      [{ schedule: "0 3 * * *; rm -rf /" }, "schedule"],
      [{ timeZone: "Mars/Olympus" }, "timeZone"],
      [{ timeZone: "../etc/passwd" }, "timeZone"],
      [
        { encryption: { mode: "recipients", recipients: ["not-a-key"] } },
        "encryption.recipients.0",
      ],
      [{ retention: { gfs: { daily: 0 } } }, "retention"],
      [{ compressionLevel: 23 }, "compressionLevel"],
      [{ concurrency: 0 }, "concurrency"],
    ];
    const before = await s.svc.db.db.selectFrom("backup_plans").select("id").execute();
    for (const [change, field] of cases) {
      const refused = await api("POST", "/api/v1/backup-plans", { ...valid, ...change });
      expect(refused.status, JSON.stringify([change, refused.body])).toBe(400);
      expect(
        JSON.stringify(refused.body.details ?? refused.body),
        JSON.stringify(change),
      ).toContain(field);
    }
    expect(await s.svc.db.db.selectFrom("backup_plans").select("id").execute()).toEqual(before);
    // another account's admin does not see the plan or run it
    const other = await api(
      "POST",
      `/api/v1/backup-plans/${ids.plan}/run`,
      undefined,
      w.keys.otherAdmin,
    );
    expect(other.status).toBe(404);
    // a directory of a node is the installation's to back up, not a tenant's
    const tenant = await api("POST", "/api/v1/backup-sources", {
      name: "etc",
      accountId: w.a,
      source: { kind: "files", nodeId: node.id, path: "/etc" },
    });
    expect(tenant.status).toBe(403);
  });
});
