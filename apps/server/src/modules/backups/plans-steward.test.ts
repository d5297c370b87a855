// Steward's own backup as a plan (a `steward` source, run on the panel): super users only (its
// source and its plans), one per panel; a plan for it refuses no encryption and panel
// encryption (the master key would seal the key that opens the backup carrying it) and a
// node's directory. Run now writes the export through the pipeline into s3rver and records the
// run and its artifact like every run (retention by difference: keep-last 1 deletes the first
// from S3 on the second run); the artifact, read back from S3 with its sidecar, imports with
// `steward backup import` into a fresh data directory, and `steward serve` on it answers the
// same users to the old API key. A plan on a schedule runs by itself.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateRecipient, openDestination, readSmall } from "@steward/agent/backups";
import { freePort, type S3Server, startS3rver } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settleTask } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const cliMain = fileURLToPath(new URL("../../../../cli/src/main.ts", import.meta.url));

let s3: S3Server;
let work: string;
const children: ChildProcess[] = [];
beforeAll(async () => {
  s3 = await startS3rver();
  work = mkdtempSync(join(tmpdir(), "stw-self-plan-"));
}, 60_000);
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await s3?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** The environment of a CLI or serve child: none of the test runner's Steward settings. */
const childEnv = (dataDir: string) => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("STEWARD_"))),
  STEWARD_DATA_DIR: dataDir,
  STEWARD_LOCAL_AGENT: "0",
});

describe("Steward's own backup as a plan", () => {
  const s = useServer("sqlite", { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  const api = (method: string, url: string, key: string, body?: unknown) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });

  it("runs on the panel into S3; the artifact imports into a fresh data directory that serves", async () => {
    s.svc.engine.startWorker();
    const settings = {
      kind: "s3" as const,
      prefix: "steward",
      region: "us-east-1",
      forcePathStyle: true,
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    };
    const destination = await api("POST", "/api/v1/backup-destinations", w.keys.super, {
      name: "offsite",
      accountId: w.a,
      settings,
    });
    expect(destination.status, JSON.stringify(destination.body)).toBe(201);

    // the source: super users only, one per panel
    const body = { name: "steward", accountId: w.a, source: { kind: "steward" } };
    expect((await api("POST", "/api/v1/backup-sources", w.keys.accountAdmin, body)).status).toBe(
      403,
    );
    const source = await api("POST", "/api/v1/backup-sources", w.keys.super, body);
    expect(source.status, JSON.stringify(source.body)).toBe(201);
    expect(source.body).toMatchObject({ kind: "steward", nodeId: null });
    const again = await api("POST", "/api/v1/backup-sources", w.keys.super, body);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain("one per panel");

    // the plan: encrypted for recipients only
    const pair = generateRecipient();
    const plan = (encryption: unknown, key = w.keys.super) =>
      api("POST", "/api/v1/backup-plans", key, {
        name: "steward nightly",
        accountId: w.a,
        sourceIds: [source.body.id],
        destinationIds: [destination.body.id],
        schedule: "30 2 * * *",
        timeZone: "UTC",
        encryption,
        retention: { keepLast: 1 },
      });
    // an account's admin would choose where the master key goes: super users only
    const tenant = await plan(
      { mode: "recipients", recipients: [pair.publicKey] },
      w.keys.accountAdmin,
    );
    expect(tenant.status).toBe(403);
    const none = await plan({ mode: "none" });
    expect(none.status).toBe(400);
    expect(none.body.error.message).toMatch(/^encryption\.mode: .*carries the master key/);
    const sealed = await plan({ mode: "panel" });
    expect(sealed.status).toBe(400);
    expect(sealed.body.error.message).toMatch(
      /^encryption\.mode: panel mode seals the private key with the master key/,
    );
    const disk = await api("POST", "/api/v1/backup-destinations", w.keys.super, {
      name: "a node's directory",
      accountId: w.a,
      settings: { kind: "local", nodeId: "nod_00000000000000000000000000", path: "/srv/backups" },
      saveAnyway: true,
    });
    expect(disk.status, JSON.stringify(disk.body)).toBe(201);
    const onNode = await api("POST", "/api/v1/backup-plans", w.keys.super, {
      name: "steward to a node",
      accountId: w.a,
      sourceIds: [source.body.id],
      destinationIds: [destination.body.id, disk.body.id],
      encryption: { mode: "recipients", recipients: [pair.publicKey] },
    });
    expect(onNode.status).toBe(400);
    expect(onNode.body.error.message).toMatch(
      /^destinationIds: .*Steward's own backup runs on the panel, which writes to S3, SFTP or FTP/,
    );
    const made = await plan({ mode: "recipients", recipients: [pair.publicKey] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.nextRunAt).not.toBeNull();

    // nor may the account's admins remove them
    for (const url of [
      `/api/v1/backup-plans/${made.body.id}`,
      `/api/v1/backup-sources/${source.body.id}`,
    ])
      expect((await api("DELETE", url, w.keys.accountAdmin)).status).toBe(403);

    const runNow = async () => {
      const ran = await api("POST", `/api/v1/backup-plans/${made.body.id}/run`, w.keys.operator);
      expect(ran.status, JSON.stringify(ran.body)).toBe(202);
      const [r] = ran.body.runs as { runId: string; taskId: string }[];
      const task = await settleTask(s, r?.taskId ?? "", 120_000);
      expect(task.state, JSON.stringify(task)).toBe("succeeded");
      const run = await api("GET", `/api/v1/backup-runs/${r?.runId}`, w.keys.accountAdmin);
      expect(run.body).toMatchObject({ status: "succeeded", nodeId: null, error: null });
      return run.body as { id: string; artifact: string };
    };
    const first = await runNow();
    const second = await runNow();
    expect(second.artifact).toMatch(/^steward-.*\.stwbak\.zst\.enc$/);
    const artifacts = await api(
      "GET",
      `/api/v1/backup-artifacts?plan=${made.body.id}`,
      w.keys.accountAdmin,
    );
    const rows = artifacts.body.items as { name: string; deletedAt: string | null }[];
    expect(rows.map((a) => [a.name, a.deletedAt === null])).toEqual([
      [second.artifact, true],
      [first.artifact, false],
    ]);
    const events = await s.svc.db.db
      .selectFrom("events")
      .select("type")
      .where("type", "like", "backup.%")
      .execute();
    expect(events.map((e) => e.type)).toEqual(["backup.succeeded", "backup.succeeded"]);

    // S3 holds the second artifact and its sidecar only
    const store = openDestination(settings);
    expect((await store.list()).map((o) => o.name).sort()).toEqual(
      [second.artifact, `${second.artifact}.meta.json`].sort(),
    );
    const copy = join(work, "copy");
    for (const name of [second.artifact, `${second.artifact}.meta.json`]) {
      const bytes = await readSmall(await store.get(name), 256 * 1024 * 1024);
      writeFileSync(join(work, name), bytes);
    }
    await store.close();
    writeFileSync(join(work, "id.key"), `${pair.privateKey}\n`, { mode: 0o600 });
    const imported = await new Promise<{ code: number | null; out: string }>((resolve) => {
      execFile(
        process.execPath,
        [
          cliMain,
          "backup",
          "import",
          join(work, second.artifact),
          "--identity",
          join(work, "id.key"),
          "--data-dir",
          copy,
        ],
        { env: childEnv(copy), timeout: 120_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? (error.code as number) : 0, out: stdout + stderr }),
      );
    });
    expect(imported.code, imported.out).toBe(0);

    // `steward serve` on the copy: the same users, to the old API key
    const port = await freePort();
    const serve = spawn(process.execPath, [cliMain, "serve", "--port", String(port)], {
      cwd: copy,
      env: childEnv(copy),
    });
    children.push(serve);
    let log = "";
    serve.stderr.on("data", (d: Buffer) => {
      log += d.toString();
    });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    while (
      !(await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (serve.exitCode !== null || Date.now() > deadline)
        throw new Error(`steward serve did not start: ${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const users = async (base: string) => {
      const res = await fetch(`${base}/api/v1/users`, {
        headers: { authorization: `Bearer ${w.keys.super}` },
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { items: { id: string }[] }).items.map((u) => u.id).sort();
    };
    const original = await api("GET", "/api/v1/users", w.keys.super);
    expect(await users(url)).toEqual(
      (original.body.items as { id: string }[]).map((u) => u.id).sort(),
    );
    serve.kill("SIGTERM");

    // on its schedule (every 2 seconds here): the recurring task starts the run, which succeeds
    const scheduled = await api("POST", "/api/v1/backup-plans", w.keys.super, {
      name: "steward often",
      accountId: w.a,
      sourceIds: [source.body.id],
      destinationIds: [destination.body.id],
      schedule: "*/2 * * * * *",
      timeZone: "UTC",
      encryption: { mode: "recipients", recipients: [pair.publicKey] },
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(201);
    const until = Date.now() + 90_000;
    let done: { items: { status: string }[] } = { items: [] };
    while (done.items.length === 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 500));
      const url = `/api/v1/backup-runs?plan=${scheduled.body.id}&status=succeeded`;
      done = (await api("GET", url, w.keys.accountAdmin)).body;
    }
    expect(done.items.length).toBeGreaterThan(0);
    const removed = await api("DELETE", `/api/v1/backup-plans/${scheduled.body.id}`, w.keys.super);
    expect(removed.status).toBe(204);
  }, 300_000);
});
