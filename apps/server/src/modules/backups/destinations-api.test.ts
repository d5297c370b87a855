// The backup destinations API on both dialects, against a real S3 (s3rver), a real FTP server
// (pure-ftpd, FTPS with a throwaway CA) and a real chrooted OpenSSH sshd (the installation's
// allow list names 127.0.0.1, as a test installation's would): create after "test destination" (refused unless saveAnyway), secrets sealed and never
// answered or audited, test on demand, shared destinations for super users only, delete, bad
// input refused naming the field.
import {
  dialects,
  encryptedKey,
  type FtpServer,
  type S3Server,
  type SftpServer,
  startFtp,
  startS3rver,
  startSftp,
} from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupCases } from "../../testing/hostile-backup-cases.ts";
import { hostileWrong } from "../../testing/hostile-run.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

let s3: S3Server;
let ftp: FtpServer | null;
let sftp: SftpServer | null;
beforeAll(async () => {
  [s3, ftp, sftp] = await Promise.all([startS3rver(), startFtp(), startSftp()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([s3?.stop(), ftp?.stop(), sftp?.stop()]);
});

describe.each(dialects())("backup destinations API on %s", (dialect) => {
  const s = useServer(dialect, { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  const bucket = (over: Record<string, unknown> = {}) => ({
    kind: "s3",
    endpoint: s3.endpoint,
    bucket: s3.bucket,
    prefix: `api-${dialect}`,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    ...over,
  });
  const create = (key: string, body: Record<string, unknown>) =>
    s.request("POST", "/api/v1/backup-destinations", { key, body });
  const auditOf = (id: string) =>
    s.svc.db.db.selectFrom("audit_events").selectAll().where("target_id", "=", id).execute();

  it("creates an S3 destination after testing it; the secret key is sealed, never shown", async () => {
    const made = await create(w.keys.accountAdmin, {
      name: "Bucket",
      accountId: w.a,
      settings: bucket(),
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({
      accountId: w.a,
      kind: "s3",
      settings: {
        endpoint: s3.endpoint,
        bucket: s3.bucket,
        forcePathStyle: true,
        region: "us-east-1",
      },
      secrets: ["secretAccessKey"],
      lastTest: { ok: true, step: null },
    });
    expect(made.body.settings.secretAccessKey).toBeUndefined();
    const row = await s.svc.db.db
      .selectFrom("backup_destinations")
      .selectAll()
      .where("id", "=", made.body.id)
      .executeTakeFirstOrThrow();
    expect(row.secrets_sealed).toMatch(/^v1:/);
    // s3rver's secret is its key id too: the field itself must be nowhere but in the seal
    expect(JSON.parse(row.settings).secretAccessKey).toBeUndefined();
    for (const kept of [made.body, row, await auditOf(made.body.id)])
      expect(JSON.stringify(kept)).not.toMatch(/secretAccessKey\\?":/);

    const tested = await s.request("POST", `/api/v1/backup-destinations/${made.body.id}/test`, {
      key: w.keys.accountAdmin,
    });
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ ok: true, step: null });
    expect((await auditOf(made.body.id)).map((e) => e.action)).toEqual([
      "backup-destination.create",
      "backup-destination.test",
    ]);
    const listed = await s.request("GET", `/api/v1/backup-destinations?account=${w.a}`, {
      key: w.keys.reader,
    });
    expect(listed.body.items.map((d: { id: string }) => d.id)).toContain(made.body.id);

    const removed = await s.request("DELETE", `/api/v1/backup-destinations/${made.body.id}`, {
      key: w.keys.accountAdmin,
    });
    expect(removed.status).toBe(204);
    const gone = await s.request("GET", `/api/v1/backup-destinations/${made.body.id}`, {
      key: w.keys.accountAdmin,
    });
    expect(gone.status).toBe(404);
  });

  it("tests an FTP destination and refuses one whose test fails, unless saveAnyway", async (t) => {
    if (!ftp) return t.skip();
    const settings = {
      kind: "ftp",
      host: ftp.host,
      port: ftp.port,
      username: ftp.username,
      password: "not-the-password",
      tls: "none",
      path: `api-${dialect}`,
    };
    const refused = await create(w.keys.accountAdmin, { name: "FTP", accountId: w.a, settings });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details?.[0]?.field).toBe("settings");
    expect(refused.body.error.message).toMatch(/the destination test failed \(write\)/);
    const kept = await create(w.keys.accountAdmin, {
      name: "FTP",
      accountId: w.a,
      settings,
      saveAnyway: true,
    });
    expect(kept.status).toBe(201);
    expect(kept.body.lastTest).toMatchObject({ ok: false, step: "write" });
    const good = await create(w.keys.accountAdmin, {
      name: "FTP good",
      accountId: w.a,
      settings: { ...settings, password: ftp.password },
    });
    expect(good.status, JSON.stringify(good.body)).toBe(201);
    expect(good.body).toMatchObject({ secrets: ["password"], lastTest: { ok: true } });
  });

  it("tests FTPS against the CA its settings name (the system's roots alone refuse it)", async (t) => {
    if (!ftp) return t.skip();
    const settings = {
      kind: "ftp",
      host: ftp.host,
      port: ftp.port,
      username: ftp.username,
      password: ftp.password,
      tls: "explicit",
      path: `ftps-${dialect}`,
    };
    const untrusted = await create(w.keys.accountAdmin, { name: "FTPS", accountId: w.a, settings });
    expect(untrusted.status).toBe(400);
    expect(untrusted.body.error.message).toMatch(/\(write\).*certificate/i);
    const made = await create(w.keys.accountAdmin, {
      name: "FTPS",
      accountId: w.a,
      settings: { ...settings, ca: ftp.ca },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ settings: { ca: ftp.ca }, lastTest: { ok: true } });
  });

  it("tests an SFTP destination (password or key, the host key pinned) and keeps the secrets sealed", async (t) => {
    if (!sftp) return t.skip();
    const settings = {
      kind: "sftp",
      host: sftp.host,
      port: sftp.port,
      username: sftp.username,
      hostKey: sftp.hostKey,
      path: `api-${dialect}`,
    };
    const byKey = await create(w.keys.accountAdmin, {
      name: "SFTP key",
      accountId: w.a,
      settings: { ...settings, privateKey: sftp.privateKey },
    });
    expect(byKey.status, JSON.stringify(byKey.body)).toBe(201);
    expect(byKey.body).toMatchObject({ secrets: ["privateKey"], lastTest: { ok: true } });
    expect(JSON.stringify(byKey.body)).not.toContain("PRIVATE KEY");
    const passphrase = "correct horse; 'battery' -- staple";
    const byPassphrase = await create(w.keys.accountAdmin, {
      name: "SFTP encrypted key",
      accountId: w.a,
      settings: {
        ...settings,
        privateKey: encryptedKey(sftp.privateKey, passphrase),
        passphrase,
      },
    });
    expect(byPassphrase.status, JSON.stringify(byPassphrase.body)).toBe(201);
    expect(byPassphrase.body).toMatchObject({
      secrets: ["privateKey", "passphrase"],
      lastTest: { ok: true },
    });
    for (const kept of [byPassphrase.body, await auditOf(byPassphrase.body.id)])
      expect(JSON.stringify(kept)).not.toContain("battery");
    const made = await create(w.keys.accountAdmin, {
      name: "SFTP",
      accountId: w.a,
      settings: { ...settings, password: sftp.password },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ secrets: ["password"], lastTest: { ok: true } });
    const tested = await s.request("POST", `/api/v1/backup-destinations/${made.body.id}/test`, {
      key: w.keys.accountAdmin,
    });
    expect(tested.body).toMatchObject({ ok: true, step: null });
    for (const kept of [byKey.body, made.body, await auditOf(made.body.id)])
      expect(JSON.stringify(kept)).not.toContain(sftp.password);
    const pinned = await create(w.keys.accountAdmin, {
      name: "SFTP pinned",
      accountId: w.a,
      settings: { ...settings, password: sftp.password, hostKey: sftp.otherHostKey },
    });
    expect(pinned.status).toBe(400);
    expect(pinned.body.error.message).toContain(`does not match the pinned ${sftp.otherHostKey}`);
  });

  it("keeps shared destinations to super users", async () => {
    const body = {
      name: "Shared bucket",
      accountId: null,
      settings: bucket({ prefix: `shared-${dialect}` }),
    };
    expect((await create(w.keys.accountAdmin, body)).status).toBe(403);
    const made = await create(w.keys.super, body);
    expect(made.status).toBe(201);
    const seen = async (key: string) =>
      (await s.request("GET", "/api/v1/backup-destinations", { key })).body.items.map(
        (d: { id: string }) => d.id,
      );
    expect(await seen(w.keys.super)).toContain(made.body.id);
    expect(await seen(w.keys.accountAdmin)).not.toContain(made.body.id);
    const read = await s.request("GET", `/api/v1/backup-destinations/${made.body.id}`, {
      key: w.keys.accountAdmin,
    });
    expect(read.status).toBe(404);
  });

  // the backup destinations' part of http/hostile-input.test.ts (which checks every route has cases)
  it("refuses every hostile value with a 4xx naming the field, and writes nothing", async () => {
    const destination = (
      await create(w.keys.super, {
        name: "Hostile",
        accountId: w.a,
        settings: { kind: "local", nodeId: "nod_00000000000000000000000000", path: "/var/backups" },
        saveAnyway: true,
      })
    ).body.id;
    expect(await hostileWrong(s, w.keys.super, backupCases(destination, w.a))).toEqual([]);
  }, 60_000);
});
