// The storage explorer end to end: a real agent on an enrolled node backs a directory up
// through a plan into its own directory, s3rver, pure-ftpd and a chrooted OpenSSH (SFTP) and a
// shared S3 prefix; the explorer lists each destination's artifacts with their sidecars (a
// node's directory through the agent) beside objects put by hand (unknown, no sidecar);
// an artifact another panel wrote is imported from its sidecar and is then an artifact; a
// sidecar whose SHA-256 or size disagrees is refused naming it; delete removes object and
// sidecar, refuses the only good copy unless forced; an artifact whose object is gone is
// missing; on the shared destination each account sees only its own objects. The hostile
// values of the three routes (testing/hostile-backup-explorer-cases.ts) change nothing.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { openDestination, runBackup } from "@steward/agent/backups";
import { type DestinationSettings, destinationSettings } from "@steward/contracts/backups";
import {
  type FtpServer,
  type NginxServer,
  type S3Server,
  type SftpServer,
  startFtp,
  startNginx,
  startS3rver,
  startSftp,
} from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupExplorerCases } from "../../testing/hostile-backup-explorer-cases.ts";
import { hostileWrong } from "../../testing/hostile-run.ts";
import { enrollRealNode, type RealNode, settleTask } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

let s3: S3Server;
let ftp: FtpServer;
let sftp: SftpServer;
let nginx: NginxServer;
let dir: string;

beforeAll(async () => {
  const [bucket, files, ssh, web] = await Promise.all([
    startS3rver(),
    startFtp(),
    startSftp(),
    startNginx({ listen: "127.0.0.6" }),
  ]);
  if (!files || !ssh || !web) throw new Error("pure-ftpd, sshd and nginx are needed (as root)");
  [s3, ftp, sftp, nginx] = [bucket, files, ssh, web];
  dir = mkdtempSync(join(tmpdir(), "stw-explorer-api-"));
  mkdirSync(join(dir, "site"), { recursive: true });
  writeFileSync(join(dir, "site", "index.html"), "<h1>explored</h1>\n");
}, 60_000);
afterAll(async () => {
  await Promise.all([s3?.stop(), ftp?.stop(), sftp?.stop(), nginx?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

interface Item {
  name: string;
  status: string;
  bytes: number | null;
  artifact: { id: string; planId: string | null; accountId: string; bytes: number } | null;
  sidecar: { planId: string | null; sha256: string } | null;
  problem: string | null;
}

describe("the storage explorer", () => {
  const s = useServer("sqlite", { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  let node: RealNode;
  const api = (method: string, url: string, body?: unknown, key = w.keys.accountAdmin) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  const ids: Record<string, string> = {};
  const settings: Record<string, DestinationSettings> = {};

  const destination = async (
    name: string,
    made: Record<string, unknown>,
    accountId: string | null,
  ) => {
    const answer = await api(
      "POST",
      "/api/v1/backup-destinations",
      { name, accountId, settings: made, saveAnyway: true },
      w.keys.super,
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    settings[name] = destinationSettings.parse(made);
    ids[name] = answer.body.id;
  };
  const post = async (url: string, body: unknown) => {
    const answer = await api("POST", url, body, w.keys.super);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body.id as string;
  };
  const objects = async (name: string, query = "", key = w.keys.reader) => {
    const answer = await api(
      "GET",
      `/api/v1/backup-destinations/${ids[name]}/objects${query}`,
      undefined,
      key,
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.items as Item[];
  };
  /** writes an artifact and its sidecar as another panel would have (not recorded here) */
  const foreign = async (
    name: string,
    artifact: string,
    planId: string,
    text: string,
    from = { nodeId: null as string | null, description: "/srv/elsewhere" },
  ) => {
    const target = openDestination(settings[name] as DestinationSettings);
    try {
      const result = await runBackup({
        source: Readable.from([Buffer.from(text)]),
        sourceInfo: { kind: "files", ...from, producer: null },
        name: artifact,
        planId,
        compressionLevel: 1,
        recipients: [],
        destinations: [{ id: name, destination: target }],
      });
      expect(result.status).toBe("succeeded");
      return result.metadata;
    } finally {
      await target.close();
    }
  };
  const byHand = async (name: string, object: string, bytes: Buffer) => {
    const target = openDestination(settings[name] as DestinationSettings);
    await target.put(Readable.from([bytes]), object).finally(() => target.close());
  };

  beforeAll(async () => {
    s.svc.engine.startWorker();
    node = await enrollRealNode(s, w.keys.super, { name: "explorer-node", nginx });
    const remote = { host: "127.0.0.1", path: "explorer" };
    await destination("disk", { kind: "local", nodeId: node.id, path: join(dir, "disk") }, w.a);
    const s3Of = (prefix: string) => ({
      kind: "s3",
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      prefix,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    });
    await destination("bucket", s3Of("explorer"), w.a);
    await destination("shared", s3Of("shared"), null);
    await destination(
      "ftp",
      {
        kind: "ftp",
        ...remote,
        port: ftp.port,
        username: ftp.username,
        password: ftp.password,
        tls: "none",
      },
      w.a,
    );
    await destination(
      "sftp",
      {
        kind: "sftp",
        ...remote,
        port: sftp.port,
        username: sftp.username,
        password: sftp.password,
        hostKey: sftp.hostKey,
      },
      w.a,
    );
    const sourceOf = (accountId: string) =>
      post("/api/v1/backup-sources", {
        name: `site ${accountId}`,
        accountId,
        source: { kind: "files", nodeId: node.id, path: join(dir, "site") },
      });
    const planOf = async (accountId: string, destinationIds: string[]) =>
      post("/api/v1/backup-plans", {
        name: `plan ${accountId}`,
        accountId,
        sourceIds: [await sourceOf(accountId)],
        destinationIds,
        retention: { keepLast: 5 },
      });
    ids.planA = await planOf(
      w.a,
      ["disk", "bucket", "ftp", "sftp", "shared"].map((n) => ids[n] as string),
    );
    ids.planB = await planOf(w.b, [ids.shared as string]);
    for (const plan of [ids.planA, ids.planB]) {
      const ran = await api("POST", `/api/v1/backup-plans/${plan}/run`, undefined, w.keys.super);
      expect(ran.status, JSON.stringify(ran.body)).toBe(202);
      for (const r of ran.body.runs) await settleTask(s, r.taskId, 60_000);
    }
    for (const name of ["disk", "bucket", "ftp", "sftp", "shared"])
      await byHand(name, "by-hand.bin", Buffer.from("put here by hand"));
  }, 180_000);
  afterAll(() => node?.close());

  it("lists a real run's artifacts with their sidecars on every kind, objects by hand as unknown", async () => {
    for (const name of ["disk", "bucket", "ftp", "sftp"]) {
      const items = await objects(name);
      expect(
        items.map((i) => [i.name.replace(/bkr_\w+/, "RUN"), i.status]),
        name,
      ).toEqual([
        ["by-hand.bin", "unknown"],
        [expect.stringMatching(/\.tar\.zst$/), "known"],
      ]);
      const [hand, artifact] = items;
      expect(hand).toMatchObject({
        bytes: 16,
        artifact: null,
        sidecar: null,
        problem: "no sidecar",
      });
      expect(artifact?.artifact).toMatchObject({ planId: ids.planA, accountId: w.a });
      expect(artifact?.sidecar).toMatchObject({ planId: ids.planA });
      expect(artifact?.bytes).toBe(artifact?.artifact?.bytes);
      expect((await objects(name, "?status=unknown")).map((i) => i.name)).toEqual(["by-hand.bin"]);
      expect(
        (await objects(name, `?plan=${ids.planA}&verified=false`)).map((i) => i.status),
      ).toEqual(["known"]);
      expect(await objects(name, "?minBytes=100000000")).toEqual([]);
    }
    // pages of one, in name order
    const first = await api("GET", `/api/v1/backup-destinations/${ids.bucket}/objects?limit=1`);
    expect(first.body.items.map((i: Item) => i.name)).toEqual(["by-hand.bin"]);
    const second = await api(
      "GET",
      `/api/v1/backup-destinations/${ids.bucket}/objects?limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items[0].status).toBe("known");
    expect(second.body.nextCursor).toBeNull();
  });

  it("imports an artifact from its sidecar; refuses one whose sidecar disagrees, naming it", async () => {
    const made = await foreign(
      "bucket",
      "elsewhere-1.tar.zst",
      ids.planA as string,
      "from another panel",
    );
    const unknown = (await objects("bucket", "?status=unknown")).find(
      (i) => i.name === "elsewhere-1.tar.zst",
    );
    expect(unknown?.sidecar).toMatchObject({ planId: ids.planA, sha256: made?.sha256 });
    // a sidecar copied beside another object: the size agrees, the SHA-256 does not
    await foreign("bucket", "tampered.tar.zst", ids.planA as string, "from another panel");
    await byHand("bucket", "tampered.tar.zst", Buffer.from("x".repeat(made?.bytes ?? 0)));
    await foreign("bucket", "shorter.tar.zst", ids.planA as string, "from another panel");
    await byHand("bucket", "shorter.tar.zst", Buffer.from("x"));
    const before = await api("GET", `/api/v1/backup-artifacts?destination=${ids.bucket}`);
    for (const [name, says] of [
      ["tampered.tar.zst", "SHA-256"],
      ["shorter.tar.zst", "bytes"],
      ["by-hand.bin", "no sidecar"],
      ["nothing.tar.zst", "not on the destination"],
    ] as const) {
      const refused = await api("POST", `/api/v1/backup-destinations/${ids.bucket}/import`, {
        names: ["elsewhere-1.tar.zst", name],
      });
      expect(refused.status, name).toBe(400);
      expect(JSON.stringify(refused.body)).toContain(name);
      expect(JSON.stringify(refused.body)).toContain(says);
    }
    const unchanged = await api("GET", `/api/v1/backup-artifacts?destination=${ids.bucket}`);
    expect(unchanged.body.items).toEqual(before.body.items);
    // a reader may look, not import
    const reader = await api(
      "POST",
      `/api/v1/backup-destinations/${ids.bucket}/import`,
      { names: ["elsewhere-1.tar.zst"] },
      w.keys.reader,
    );
    expect(reader.status).toBe(403);
    const imported = await api("POST", `/api/v1/backup-destinations/${ids.bucket}/import`, {
      names: ["elsewhere-1.tar.zst"],
    });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    expect(imported.body.imported).toEqual([
      expect.objectContaining({
        name: "elsewhere-1.tar.zst",
        accountId: w.a,
        planId: ids.planA,
        runId: null,
        // no source of the plan reads /srv/elsewhere: out of retention, deleted by hand
        sourceId: null,
        sha256: made?.sha256,
        sourceDescription: "/srv/elsewhere",
        importedAt: expect.any(String),
      }),
    ]);
    const listed = await api(
      "GET",
      `/api/v1/backup-artifacts?destination=${ids.bucket}`,
      undefined,
      w.keys.reader,
    );
    expect(listed.body.items.map((a: { name: string }) => a.name)).toContain("elsewhere-1.tar.zst");
    expect((await objects("bucket")).find((i) => i.name === "elsewhere-1.tar.zst")?.status).toBe(
      "known",
    );
    const again = await api("POST", `/api/v1/backup-destinations/${ids.bucket}/import`, {
      names: ["elsewhere-1.tar.zst"],
    });
    expect(again.status).toBe(409);
  });

  it("ties an import to the plan's source it came from, and retention prunes it with the plan's own", async () => {
    const path = join(dir, "site");
    const sourceId = await post("/api/v1/backup-sources", {
      name: "site again",
      accountId: w.a,
      source: { kind: "files", nodeId: node.id, path },
    });
    const planId = await post("/api/v1/backup-plans", {
      name: "keep one",
      accountId: w.a,
      sourceIds: [sourceId],
      destinationIds: [ids.bucket],
      retention: { keepLast: 1 },
    });
    // an earlier artifact of the same source, its record lost (a data directory restored)
    await foreign("bucket", "site-earlier.tar.zst", planId, "the site before", {
      nodeId: node.id,
      description: path,
    });
    const imported = await api("POST", `/api/v1/backup-destinations/${ids.bucket}/import`, {
      names: ["site-earlier.tar.zst"],
      planId,
    });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    expect(imported.body.imported[0]).toMatchObject({ planId, sourceId, sourceDescription: path });
    // the plan's next run keeps one: its own; the imported one goes, object and record
    const ran = await api("POST", `/api/v1/backup-plans/${planId}/run`, undefined, w.keys.super);
    expect(ran.status, JSON.stringify(ran.body)).toBe(202);
    for (const r of ran.body.runs) await settleTask(s, r.taskId, 60_000);
    const items = (await api("GET", `/api/v1/backup-artifacts?plan=${planId}`)).body.items as {
      name: string;
      deletedAt: string | null;
    }[];
    expect(items.find((a) => a.name === "site-earlier.tar.zst")?.deletedAt).toEqual(
      expect.any(String),
    );
    expect(items.filter((a) => a.deletedAt === null)).toHaveLength(1);
    const names = (await objects("bucket")).map((i) => i.name);
    expect(names).not.toContain("site-earlier.tar.zst");
  });

  it("keeps each account's objects on a shared destination to itself", async () => {
    await foreign("shared", "b-lost.tar.zst", ids.planB as string, "account B's");
    const names = async (key: string) =>
      (await objects("shared", "", key)).map((i) => i.name).sort();
    const all = await names(w.keys.super);
    expect(all).toHaveLength(4);
    const ofA = await names(w.keys.accountAdmin);
    const ofB = await names(w.keys.otherAdmin);
    expect(ofA).toHaveLength(1);
    expect(ofB).toHaveLength(2);
    expect(ofB).toContain("b-lost.tar.zst");
    expect([...ofA, ...ofB, "by-hand.bin"].sort()).toEqual(all);
    // B's unknown artifact is not there for A's admin, to import or to hear of
    const stolen = await api("POST", `/api/v1/backup-destinations/${ids.shared}/import`, {
      names: ["b-lost.tar.zst"],
      accountId: w.a,
    });
    expect(stolen.status).toBe(400);
    expect(JSON.stringify(stolen.body)).toContain("not on the destination");
    expect(JSON.stringify(stolen.body)).not.toContain(ids.planB);
    // nor A's destinations for B's admin
    const other = await api(
      "GET",
      `/api/v1/backup-destinations/${ids.bucket}/objects`,
      undefined,
      w.keys.otherAdmin,
    );
    expect(other.status).toBe(404);
    // B's admin imports it into B
    const theirs = await api(
      "POST",
      `/api/v1/backup-destinations/${ids.shared}/import`,
      { names: ["b-lost.tar.zst"], accountId: w.b },
      w.keys.otherAdmin,
    );
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
    expect(theirs.body.imported[0]).toMatchObject({ accountId: w.b, planId: ids.planB });
  });

  it("deletes object and sidecar, the only good copy only when forced; a vanished object is missing", async () => {
    const artifacts = async () =>
      (await api("GET", `/api/v1/backup-artifacts?plan=${ids.planA}`)).body.items as {
        id: string;
        name: string;
        destinationId: string;
        deletedAt: string | null;
        sourceDescription: string;
      }[];
    const ofRun = (await artifacts()).filter((a) => a.sourceDescription === join(dir, "site"));
    expect(ofRun).toHaveLength(5);
    const on = (name: string) =>
      ofRun.find((a) => a.destinationId === ids[name]) as { id: string; name: string };
    const disk = on("disk");
    expect(existsSync(join(dir, "disk", disk.name))).toBe(true);
    const reader = await api(
      "DELETE",
      `/api/v1/backup-artifacts/${disk.id}`,
      undefined,
      w.keys.reader,
    );
    expect(reader.status).toBe(403);
    expect((await api("DELETE", `/api/v1/backup-artifacts/${disk.id}`)).status).toBe(204);
    expect(existsSync(join(dir, "disk", disk.name))).toBe(false);
    expect(existsSync(join(dir, "disk", `${disk.name}.meta.json`))).toBe(false);
    for (const name of ["ftp", "sftp", "bucket"]) {
      expect((await api("DELETE", `/api/v1/backup-artifacts/${on(name).id}`)).status).toBe(204);
      const left = await openDestination(settings[name] as DestinationSettings).list();
      expect(left.map((o) => o.name).filter((n) => n.startsWith(on(name).name))).toEqual([]);
    }
    // the shared copy is the last good one
    const last = on("shared");
    const refused = await api("DELETE", `/api/v1/backup-artifacts/${last.id}`);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain("only good copy");
    // gone from the destination behind the panel's back: missing
    await openDestination(settings.shared as DestinationSettings).delete(last.name);
    const missing = await objects("shared", "?status=missing", w.keys.accountAdmin);
    expect(missing.map((i) => [i.name, i.status, i.artifact?.id])).toEqual([
      [last.name, "missing", last.id],
    ]);
    expect((await api("DELETE", `/api/v1/backup-artifacts/${last.id}?force=true`)).status).toBe(
      204,
    );
    expect((await artifacts()).find((a) => a.id === last.id)?.deletedAt).not.toBeNull();
  });

  it("refuses hostile values naming the field and changes nothing", async () => {
    const artifact = (await api("GET", "/api/v1/backup-artifacts?limit=1")).body.items[0].id;
    expect(
      await hostileWrong(s, w.keys.super, backupExplorerCases(ids.bucket as string, artifact)),
    ).toEqual([]);
  }, 120_000);
});
