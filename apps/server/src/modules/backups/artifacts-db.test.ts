// Restores and test restores of database artifacts through the panel, end to end: two real
// enrolled agents (node A with its own MariaDB and PostgreSQL, node B with another PostgreSQL),
// a database made through the API and filled, a plan run now. PostgreSQL goes to S3 (s3rver)
// encrypted with the panel's key: a dry run changes nothing, a restore into a renamed database
// and one onto node B's server (another server of the account) have the dump's row counts, a
// server of another account looks missing, the test restore marks the artifact verified, and
// the recovery kit's key opens the artifact. MariaDB goes to node A's directory: restored
// renamed, verified, then one flipped byte fails the test restore and the failure is recorded.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateRecipient } from "@steward/agent/backups";
import {
  type MariadbServer,
  type NginxServer,
  type PostgresServer,
  type S3Server,
  startMariadb,
  startNginx,
  startPostgres,
  startS3rver,
} from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminOf,
  countsIn,
  databasesOn,
  download,
  fill,
  HOSTILE_DATABASE_NAMES,
  ROWS,
  runToArtifact,
  settled,
} from "../../testing/backup-restore.ts";
import { type Case, V } from "../../testing/hostile-cases.ts";
import { hostileWrong } from "../../testing/hostile-run.ts";
import {
  type EnrolledNode,
  enrollNode,
  enrollRealNode,
  nodeDatabases,
} from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

let mariadb: MariadbServer;
let postgres: PostgresServer;
let postgresB: PostgresServer;
let nginx: NginxServer;
let s3: S3Server;
let dir: string;

beforeAll(async () => {
  const [m, p, q, n, o] = await Promise.all([
    startMariadb(),
    startPostgres(),
    startPostgres(),
    startNginx({ listen: "127.0.0.7" }),
    startS3rver(),
  ]);
  if (!m || !p || !q || !n) throw new Error("MariaDB, PostgreSQL and nginx are needed");
  [mariadb, postgres, postgresB, nginx, s3] = [m, p, q, n, o];
  dir = mkdtempSync(join(tmpdir(), "stw-artifacts-db-"));
}, 120_000);
afterAll(async () => {
  await Promise.all([
    mariadb?.stop(),
    postgres?.stop(),
    postgresB?.stop(),
    nginx?.stop(),
    s3?.stop(),
  ]);
  rmSync(dir, { recursive: true, force: true });
});

describe("restoring and test-restoring database artifacts through the panel", () => {
  const s = useServer("sqlite", { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  let nodeA: EnrolledNode;
  let nodeB: EnrolledNode;
  const api = (method: string, url: string, body?: unknown, key = w.keys.accountAdmin) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    s.svc.engine.startWorker();
    nodeA = await enrollRealNode(s, w.keys.super, {
      name: "restore-a",
      nginx,
      agentJson: { databases: nodeDatabases(mariadb, postgres) },
    });
    nodeB = await enrollNode(s, w.keys.super, {
      name: "restore-b",
      listen: "127.0.0.8",
      agentJson: { databases: { postgres: nodeDatabases(mariadb, postgresB).postgres } },
    });
  }, 120_000);
  afterAll(async () => {
    await nodeA?.close();
    await nodeB?.close();
  });

  const fetchBytes = (path: string) => download(s.url + path, w.keys.accountAdmin);

  const server = async (engine: string, nodeId: string, accountId = w.a) => {
    const made = await api(
      "POST",
      "/api/v1/database-servers",
      { name: `${engine}-${nodeId}-${accountId}`, engine, accountId, placement: "on-node", nodeId },
      w.keys.super,
    );
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return made.body.id as string;
  };

  /** a database of account A made through the API and filled, and a plan backing it up */
  async function planOf(engine: "mariadb" | "postgres", destination: unknown, mode: string) {
    const serverId = await server(engine, nodeA.id);
    const name = `shop_${engine.slice(0, 2)}`;
    const db = await api("POST", "/api/v1/databases", { serverId, name });
    expect(db.status, JSON.stringify(db.body)).toBe(201);
    await fill(adminOf(engine === "mariadb" ? mariadb : postgres), name);
    const source = await api("POST", "/api/v1/backup-sources", {
      name: `${engine} shop`,
      accountId: w.a,
      source: { kind: "database", databaseId: db.body.id },
    });
    expect(source.status, JSON.stringify(source.body)).toBe(201);
    const dest = await api("POST", "/api/v1/backup-destinations", destination, w.keys.super);
    expect(dest.status, JSON.stringify(dest.body)).toBe(201);
    const plan = await api("POST", "/api/v1/backup-plans", {
      name: `${engine} nightly`,
      accountId: w.a,
      sourceIds: [source.body.id],
      destinationIds: [dest.body.id],
      encryption: { mode },
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);
    return { plan: plan.body.id as string, name, serverId };
  }

  it("restores PostgreSQL from S3 renamed and onto another server, verifies it, and the recovery kit opens it", async () => {
    const { plan, name } = await planOf(
      "postgres",
      {
        name: "offsite",
        accountId: w.a,
        settings: {
          kind: "s3",
          endpoint: s3.endpoint,
          bucket: s3.bucket,
          prefix: "restore",
          accessKeyId: s3.accessKeyId,
          secretAccessKey: s3.secretAccessKey,
        },
      },
      "panel",
    );
    const artifact = await runToArtifact(s, api, plan);
    expect(artifact.name).toMatch(/\.dump\.zst\.enc$/);
    const restore = `/api/v1/backup-artifacts/${artifact.id}/restore`;
    const local = adminOf(postgres);

    // hostile database names: refused naming the field, nothing made on the server or panel
    const hostile = HOSTILE_DATABASE_NAMES.map(
      (database): Case => [
        "POST",
        restore,
        { target: { kind: "database", database } },
        400,
        V,
        "target.database",
      ],
    );
    const databases = await databasesOn(local);
    expect(await hostileWrong(s, w.keys.accountAdmin, hostile)).toEqual([]);
    expect(await databasesOn(local)).toEqual(databases);

    // a dry run says what would change and changes nothing
    const dry = await settled(api, s, restore, {
      target: { kind: "database", database: "shop_copy" },
      dryRun: true,
    });
    expect(dry.task.state, dry.task.last_error ?? "").toBe("succeeded");
    expect(dry.result).toMatchObject({ dryRun: true, existed: false, target: "shop_copy" });
    expect(await databasesOn(local)).not.toContain("shop_copy");

    // renamed, by an operator of the account
    const copy = await settled(
      api,
      s,
      restore,
      { target: { kind: "database", database: "shop_copy" } },
      w.keys.operator,
    );
    expect(copy.task.state, copy.task.last_error ?? "").toBe("succeeded");
    expect(await countsIn(local, "shop_copy")).toEqual(ROWS);
    // the same name again is refused unless replace
    const again = await settled(api, s, restore, {
      target: { kind: "database", database: "shop_copy" },
    });
    expect(again.task.state).toBe("failed");
    expect(again.task.last_error).toMatch(/replace/);

    // onto another server of the account: node B's PostgreSQL
    const other = await server("postgres", nodeB.id);
    const moved = await settled(api, s, restore, {
      target: { kind: "database", serverId: other },
    });
    expect(moved.task.state, moved.task.last_error ?? "").toBe("succeeded");
    expect(await countsIn(adminOf(postgresB), name)).toEqual(ROWS);

    // another account's server looks missing; another account's caller does not see the artifact
    const theirs = await server("postgres", nodeA.id, w.b);
    const refused = await api("POST", restore, { target: { kind: "database", serverId: theirs } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([
      { field: "target.serverId", message: "no such database server in this account" },
    ]);
    expect(JSON.stringify(refused.body)).not.toContain(w.b);
    const stranger = await api(
      "POST",
      restore,
      { target: { kind: "database", database: "theirs" } },
      w.keys.otherAdmin,
    );
    expect(stranger.status).toBe(404);
    expect(await databasesOn(local)).not.toContain("theirs");

    // the test restore marks it verified, with its event
    const verified = await settled(api, s, `/api/v1/backup-artifacts/${artifact.id}/verify`, {});
    expect(verified.task.state, verified.task.last_error ?? "").toBe("succeeded");
    const after = await api("GET", `/api/v1/backup-artifacts/${artifact.id}`);
    expect(after.body).toMatchObject({ verifyError: null });
    expect(after.body.verifiedAt).not.toBeNull();
    const events = await s.svc.db.db
      .selectFrom("events")
      .select("fields")
      .where("type", "=", "backup.verified")
      .execute();
    expect(events.map((e) => JSON.parse(e.fields).artifactId)).toContain(artifact.id);

    // downloads through the panel: as stored (its SHA-256), and decrypted to the dump itself
    const download = `/api/v1/backup-artifacts/${artifact.id}/download`;
    const asStored = await fetchBytes(`${download}`);
    expect(asStored.status).toBe(200);
    expect(asStored.disposition).toBe(`attachment; filename="${artifact.name}"`);
    expect(asStored.sha256).toBe(
      (await api("GET", `/api/v1/backup-artifacts/${artifact.id}`)).body.sha256,
    );
    const plain = await fetchBytes(`${download}?decrypt=true`);
    expect(plain.status).toBe(200);
    expect(plain.disposition).toBe(
      `attachment; filename="${artifact.name.replace(/\.zst\.enc$/, "")}"`,
    );
    const run = (await api("GET", `/api/v1/backup-runs?plan=${plan}`)).body.items[0];
    expect(plain.bytes.length).toBe(run.sourceBytes);
    expect(plain.bytes.subarray(0, 5).toString()).toBe("PGDMP");
    const wrongKey = await api("POST", download, { identity: generateRecipient().privateKey });
    expect(wrongKey.status).toBe(400);
    expect(wrongKey.body.error.details[0].field).toBe("identity");
    expect((await api("GET", download, undefined, w.keys.reader)).status).toBe(403);

    // the recovery kit: once, then again only with a reason; its key opens the artifact
    const kitUrl = `/api/v1/backup-plans/${plan}/recovery-kit`;
    const kit = await s.request("POST", kitUrl, { key: w.keys.accountAdmin });
    expect(kit.status).toBe(200);
    const key = /Private key[^\n]*\n([A-Za-z0-9+/=]+)\n/.exec(String(kit.body))?.[1];
    expect(key).toBeTruthy();
    expect((await s.request("POST", kitUrl, { key: w.keys.accountAdmin })).status).toBe(409);
    expect(
      (await s.request("POST", `${kitUrl}?again=true`, { key: w.keys.accountAdmin })).status,
    ).toBe(400);
    const retaken = await s.request("POST", `${kitUrl}?again=true&reason=lost%20the%20safe`, {
      key: w.keys.accountAdmin,
    });
    expect(retaken.status).toBe(200);
    const withKit = await settled(api, s, restore, {
      target: { kind: "database", database: "shop_kit" },
      identity: key,
    });
    expect(withKit.task.state, withKit.task.last_error ?? "").toBe("succeeded");
    expect(await countsIn(local, "shop_kit")).toEqual(ROWS);
    // the identity is in no task payload, no log and no audit event
    const stored = JSON.stringify(
      await s.svc.db.db.selectFrom("tasks").selectAll().where("id", "=", withKit.taskId).execute(),
    );
    expect(stored).not.toContain(String(key));
    const audit = JSON.stringify(
      await s.svc.db.db.selectFrom("audit_events").selectAll().execute(),
    );
    expect(audit).not.toContain(String(key));
    expect(audit).toContain("lost the safe");
  }, 240_000);

  it("restores MariaDB from a node's directory renamed, and a flipped byte fails the test restore", async () => {
    const disk = join(dir, "mariadb");
    const { plan } = await planOf(
      "mariadb",
      {
        name: "disk",
        accountId: w.a,
        settings: { kind: "local", nodeId: nodeA.id, path: disk },
        saveAnyway: true,
      },
      "none",
    );
    const artifact = await runToArtifact(s, api, plan);
    const restore = `/api/v1/backup-artifacts/${artifact.id}/restore`;
    const copy = await settled(api, s, restore, {
      target: { kind: "database", database: "shop_copy" },
    });
    expect(copy.task.state, copy.task.last_error ?? "").toBe("succeeded");
    expect(await countsIn(adminOf(mariadb), "shop_copy")).toEqual(ROWS);

    const verify = `/api/v1/backup-artifacts/${artifact.id}/verify`;
    expect((await settled(api, s, verify, {})).task.state).toBe("succeeded");

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
    // a node's directory is not read through the panel
    const local = await api("GET", `/api/v1/backup-artifacts/${artifact.id}/download`);
    expect(local.status).toBe(409);
    expect((await databasesOn(adminOf(mariadb))).filter((d) => d.startsWith("steward_"))).toEqual(
      [],
    );
  }, 180_000);
});
