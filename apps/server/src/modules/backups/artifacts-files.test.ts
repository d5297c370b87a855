// Files artifacts through the panel on a real enrolled agent: a node's directory backed up into
// the node's own directory, encrypted for the user's key (recipients). Without the identity the
// restore is refused; with it the test restore reads the artifact back whole and marks it
// verified, a dry run in place lists the changed file and changes nothing, and a restore into
// another path is byte-identical. Node paths are super users'. The plan is then changed: its
// schedule (the recurring task made, then cancelled), its keys; its mode is not.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { generateRecipient } from "@steward/agent/backups";
import { type NginxServer, startNginx } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runToArtifact, settled } from "../../testing/backup-restore.ts";
import { enrollRealNode, type RealNode } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { findTask } from "../tasks/repo.ts";
import { holdKey, takeKey } from "./held-keys.ts";

let nginx: NginxServer;
let dir: string;

beforeAll(async () => {
  const n = await startNginx({ listen: "127.0.0.9" });
  if (!n) throw new Error("nginx is needed");
  nginx = n;
  dir = mkdtempSync(join(tmpdir(), "stw-artifacts-files-"));
}, 60_000);
afterAll(async () => {
  await nginx?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Every file under root: its relative path and SHA-256. */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(root, p)] = createHash("sha256").update(readFileSync(p)).digest("hex");
    }
  };
  walk(root);
  return out;
}

describe("files artifacts and plan changes through the panel", () => {
  const s = useServer("sqlite");
  const w = useWorld(s);
  let node: RealNode;
  const api = (method: string, url: string, body?: unknown, key = w.keys.super) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    s.svc.engine.startWorker();
    node = await enrollRealNode(s, w.keys.super, { name: "files-node", nginx });
  }, 120_000);
  afterAll(() => node?.close());

  it("restores with the user's identity only, byte for byte, and verifies by reading it back", async () => {
    const site = join(dir, "site");
    mkdirSync(join(site, "odd dir"), { recursive: true });
    writeFileSync(join(site, "index.html"), "<h1>shop</h1>\n");
    writeFileSync(join(site, "odd dir", 'it\'s; -- "x".txt'), Buffer.from([0, 1, 2, 255]));
    const pair = generateRecipient();
    const source = await api("POST", "/api/v1/backup-sources", {
      name: "site",
      accountId: w.a,
      source: { kind: "files", nodeId: node.id, path: site },
    });
    expect(source.status, JSON.stringify(source.body)).toBe(201);
    const dest = await api("POST", "/api/v1/backup-destinations", {
      name: "disk",
      accountId: w.a,
      settings: { kind: "local", nodeId: node.id, path: join(dir, "disk") },
      saveAnyway: true,
    });
    const plan = await api("POST", "/api/v1/backup-plans", {
      name: "site nightly",
      accountId: w.a,
      sourceIds: [source.body.id],
      destinationIds: [dest.body.id],
      encryption: { mode: "recipients", recipients: [pair.publicKey] },
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);
    const artifact = await runToArtifact(s, api, plan.body.id);
    const restore = `/api/v1/backup-artifacts/${artifact.id}/restore`;

    const keyless = await api("POST", restore, { target: { kind: "files", path: join(dir, "x") } });
    expect(keyless.status).toBe(400);
    expect(keyless.body.error.details[0].field).toBe("identity");
    const tenant = await api(
      "POST",
      restore,
      { target: { kind: "files", path: join(dir, "x") }, identity: pair.privateKey },
      w.keys.accountAdmin,
    );
    expect(tenant.status).toBe(403);

    const verify = `/api/v1/backup-artifacts/${artifact.id}/verify`;
    const verified = await settled(api, s, verify, { identity: pair.privateKey });
    expect(verified.task.state, verified.task.last_error ?? "").toBe("succeeded");
    expect(
      (await api("GET", `/api/v1/backup-artifacts/${artifact.id}`)).body.verifiedAt,
    ).not.toBeNull();

    const before = tree(site);
    writeFileSync(join(site, "index.html"), "<h1>changed</h1>\n");
    const dry = await settled(api, s, restore, {
      target: { kind: "files" },
      dryRun: true,
      identity: pair.privateKey,
    });
    expect(dry.task.state, dry.task.last_error ?? "").toBe("succeeded");
    expect(dry.result.replaced).toContain("index.html");
    expect(readFileSync(join(site, "index.html"), "utf8")).toBe("<h1>changed</h1>\n");

    const elsewhere = join(dir, "restored");
    const done = await settled(api, s, restore, {
      target: { kind: "files", path: elsewhere },
      identity: pair.privateKey,
    });
    expect(done.task.state, done.task.last_error ?? "").toBe("succeeded");
    expect(tree(elsewhere)).toEqual(before);
    // the identity is in no task's row
    const rows = JSON.stringify(await s.svc.db.db.selectFrom("tasks").selectAll().execute());
    expect(rows).not.toContain(pair.privateKey);
    // each task took its held key: none left; a held key is sealed, taken once, not after its hour
    const k = s.svc.db.db;
    expect(await k.selectFrom("backup_held_keys").selectAll().execute()).toEqual([]);
    await holdKey(k, s.svc.secrets, "tsk_held", pair.privateKey, 1_000);
    const held = JSON.stringify(await k.selectFrom("backup_held_keys").selectAll().execute());
    expect(held).toContain("tsk_held");
    expect(held).not.toContain(pair.privateKey);
    expect(await takeKey(k, s.svc.secrets, "tsk_held", 2_000)).toBe(pair.privateKey);
    expect(await takeKey(k, s.svc.secrets, "tsk_held", 2_000)).toBeNull();
    await holdKey(k, s.svc.secrets, "tsk_late", pair.privateKey, 1_000);
    expect(await takeKey(k, s.svc.secrets, "tsk_late", 1_000 + 3_600_001)).toBeNull();

    // no recovery kit: the panel holds no key of this plan
    const kit = await api("POST", `/api/v1/backup-plans/${plan.body.id}/recovery-kit`);
    expect(kit.status).toBe(409);
  }, 120_000);

  it("changes a plan: schedule made and cancelled, keys replaced, the mode kept", async () => {
    const source = await api("POST", "/api/v1/backup-sources", {
      name: "www",
      accountId: w.a,
      source: { kind: "files", nodeId: node.id, path: "/srv/www" },
    });
    const dest = await api("POST", "/api/v1/backup-destinations", {
      name: "disk2",
      accountId: w.a,
      settings: { kind: "local", nodeId: node.id, path: join(dir, "disk2") },
      saveAnyway: true,
    });
    const first = generateRecipient();
    const made = await api("POST", "/api/v1/backup-plans", {
      name: "www",
      accountId: w.a,
      sourceIds: [source.body.id],
      destinationIds: [dest.body.id],
      encryption: { mode: "recipients", recipients: [first.publicKey] },
    });
    const url = `/api/v1/backup-plans/${made.body.id}`;
    const patch = (body: unknown, key = w.keys.accountAdmin) => api("PATCH", url, body, key);

    const scheduled = await patch({
      schedule: "0 3 * * *",
      timeZone: "Europe/Paris",
      name: "www daily",
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
    expect(scheduled.body).toMatchObject({ name: "www daily", schedule: "0 3 * * *" });
    expect(scheduled.body.nextRunAt).not.toBeNull();
    const row = await s.svc.db.db
      .selectFrom("backup_plans")
      .selectAll()
      .where("id", "=", made.body.id)
      .executeTakeFirstOrThrow();
    const task = row.schedule_task_id;
    expect(task).not.toBeNull();

    const second = generateRecipient();
    const rekeyed = await patch({
      encryption: { mode: "recipients", recipients: [second.publicKey] },
    });
    expect(rekeyed.body.recipients).toEqual([second.publicKey]);
    const mode = await patch({ encryption: { mode: "panel" } });
    expect(mode.status).toBe(400);
    expect(mode.body.error.details[0].field).toBe("encryption.mode");
    const verify = await patch({ verify: { schedule: "0 5 * * 0" } });
    expect(verify.status).toBe(400);
    expect(verify.body.error.details[0].field).toBe("verify");
    const badZone = await patch({ timeZone: "Mars/Olympus" });
    expect(badZone.body.error.details[0].field).toBe("timeZone");
    expect((await patch({ name: "x" }, w.keys.operator)).status).toBe(403);
    expect((await patch({ name: "x" }, w.keys.otherAdmin)).status).toBe(404);

    const unscheduled = await patch({ schedule: null });
    expect(unscheduled.body).toMatchObject({ schedule: null, nextRunAt: null, name: "www daily" });
    expect((await findTask(s.svc.db.db, String(task)))?.state).toBe("cancelled");
    const audit = await s.svc.db.db
      .selectFrom("audit_events")
      .select("action")
      .where("target_id", "=", made.body.id)
      .execute();
    expect(audit.filter((a) => a.action === "backup-plan.update").length).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
