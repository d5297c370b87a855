import { createPrivateKey } from "node:crypto";
import { generateRecipient } from "@steward/agent/backups";
import {
  type NginxServer,
  type PostgresServer,
  type S3Server,
  startNginx,
  startPostgres,
  startS3rver,
} from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminOf,
  countsIn,
  databasePlan,
  databasesOn,
  download,
  HOSTILE_DATABASE_NAMES,
  onNodeServer,
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
  nodePostgres,
} from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

let postgres: PostgresServer;
let postgresB: PostgresServer;
let nginx: NginxServer;
let s3: S3Server;

beforeAll(async () => {
  const [p, q, n, o] = await Promise.all([
    startPostgres(),
    startPostgres(),
    startNginx({ listen: "127.0.0.7" }),
    startS3rver(),
  ]);
  if (!p || !q || !n) throw new Error("PostgreSQL and nginx are needed");
  [postgres, postgresB, nginx, s3] = [p, q, n, o];
}, 120_000);
afterAll(async () => {
  await Promise.all([postgres?.stop(), postgresB?.stop(), nginx?.stop(), s3?.stop()]);
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
      agentJson: { databases: { postgres: nodePostgres(postgres) } },
    });
    nodeB = await enrollNode(s, w.keys.super, {
      name: "restore-b",
      listen: "127.0.0.8",
      agentJson: { databases: { postgres: nodePostgres(postgresB) } },
    });
  }, 120_000);
  afterAll(async () => {
    await nodeA?.close();
    await nodeB?.close();
  });

  const fetchBytes = (path: string) => download(s.url + path, w.keys.accountAdmin);

  const server = (engine: string, nodeId: string, accountId = w.a) =>
    onNodeServer(api, w.keys.super, { engine, nodeId, accountId });

  it("restores PostgreSQL from S3 renamed and onto another server, verifies it, and the recovery kit opens it", async () => {
    const { plan, name } = await databasePlan(api, w.keys.super, {
      engine: "postgres",
      access: adminOf(postgres),
      nodeId: nodeA.id,
      accountId: w.a,
      mode: "panel",
      destination: {
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
    });
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
    // an X25519 private key (PKCS#8 DER in base64)
    const parsed = createPrivateKey({
      key: Buffer.from(key ?? "", "base64"),
      format: "der",
      type: "pkcs8",
    });
    expect(parsed.asymmetricKeyType).toBe("x25519");
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
});
