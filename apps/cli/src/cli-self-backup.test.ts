// Steward's own backup end to end, on SQLite and on PostgreSQL: a panel with a super user, an
// API key, an account, a settings file and an S3 destination whose secret key is sealed
// (against a real s3rver) is exported while `steward serve` runs on it, imported into a fresh
// data directory (PostgreSQL: an empty database), and a `steward serve` on the copy answers the
// same user, account and destination with the old API key, and tests the destination: the
// sealed secret opened, so the master key came back. A damaged file, a wrong key and a
// non-empty directory are refused writing nothing.
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  dialects,
  freePort,
  freshPostgresDatabase,
  type S3Server,
  startS3rver,
} from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  captureOutput,
  cliFor,
  PASSWORD,
  removeDataDirs,
  spawnServe,
  tempDataDir,
} from "./testing/cli.ts";

let s3: S3Server;
const started: ChildProcessWithoutNullStreams[] = [];
beforeAll(async () => {
  s3 = await startS3rver();
}, 60_000);
afterAll(async () => {
  for (const child of started) if (child.exitCode === null) child.kill("SIGKILL");
  await s3?.stop();
  removeDataDirs();
});

const ALLOW = { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" };

/** `steward serve` on a data directory, once it answers /healthz. */
async function serve(dataDir: string, env: Record<string, string>) {
  const port = await freePort();
  const child = spawnServe(dataDir, port, { ...ALLOW, ...env });
  started.push(child);
  const output = captureOutput(child);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`steward serve did not start:\n${output.stdout}\n${output.stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const call = async (method: string, path: string, key: string) => {
    const res = await fetch(url + path, { method, headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, body: await res.json() };
  };
  const stop = async () => {
    child.kill("SIGTERM");
    if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
  };
  return { call, stop };
}

/** Flips one byte of a file in place. */
function flip(file: string, at: number) {
  const bytes = readFileSync(file);
  bytes[at] = (bytes[at] ?? 0) ^ 1;
  writeFileSync(file, bytes);
}

describe.each(dialects())("steward backup export / import on %s", (dialect) => {
  it("restores users, accounts, settings and sealed secrets on a fresh data directory", async () => {
    const source: Record<string, string> =
      dialect === "postgres" ? { STEWARD_DATABASE_URL: await freshPostgresDatabase() } : {};
    const target: Record<string, string> =
      dialect === "postgres" ? { STEWARD_DATABASE_URL: await freshPostgresDatabase() } : {};
    const c = cliFor(tempDataDir(), { ...ALLOW, ...source });
    const user = await c.json<{ id: string }>(
      ["user", "create", "--email", "admin@example.com", "--super"],
      { input: PASSWORD },
    );
    const { key } = await c.json<{ key: string }>([
      "apikey",
      "create",
      "--user",
      "admin@example.com",
    ]);
    const account = await c.json<{ id: string }>([
      "account",
      "create",
      "--slug",
      "shop",
      "--name",
      "Shop",
    ]);
    await c.ok(["config", "set", "auditRetentionDays", "400"]);
    const destination = await c.json<{ id: string; lastTest: { ok: boolean } }>(
      [
        "backup",
        "destination",
        "add",
        "--name",
        "bucket",
        "--kind",
        "s3",
        "--endpoint",
        s3.endpoint,
        "--bucket",
        s3.bucket,
        "--prefix",
        `self-${dialect}`,
        "--access-key-id",
        s3.accessKeyId,
      ],
      { env: { STEWARD_BACKUP_SECRET: s3.secretAccessKey } },
    );
    expect(destination.lastTest.ok).toBe(true);
    const identity = join(c.dataDir, "..", `${c.dataDir.split("/").pop()}-identity.key`);
    const { publicKey } = await c.json<{ publicKey: string }>([
      "backup",
      "keygen",
      "--out",
      identity,
    ]);

    // exported while the panel runs on it
    const running = await serve(c.dataDir, source);
    const out = join(tempDataDir("steward-export-"), "steward.stwbak");
    const exported = await c.json<{ bytes: number; sha256: string }>([
      "backup",
      "export",
      "--recipient",
      publicKey,
      "--out",
      out,
    ]);
    await running.stop();
    const sidecar = JSON.parse(readFileSync(`${out}.meta.json`, "utf8"));
    expect(sidecar).toMatchObject({
      source: { kind: "steward", nodeId: null },
      encryption: { recipients: [publicKey] },
      bytes: exported.bytes,
      sha256: exported.sha256,
    });
    expect(readFileSync(out).subarray(0, 8).toString()).toBe("STWBAK1\n");
    expect(await c.auditActions("steward.export")).toEqual(["steward.export"]);

    // refused, writing nothing: a damaged copy, another key, a directory in use
    const fresh = cliFor(tempDataDir(), { ...ALLOW, ...target });
    const importInto = (file: string, id = identity, data = fresh.dataDir) => [
      "backup",
      "import",
      file,
      "--identity",
      id,
      "--data-dir",
      data,
    ];
    const damaged = join(tempDataDir("steward-damaged-"), "steward.stwbak");
    writeFileSync(damaged, readFileSync(out));
    writeFileSync(`${damaged}.meta.json`, readFileSync(`${out}.meta.json`));
    flip(damaged, exported.bytes - 100);
    expect(await fresh.fails(importInto(damaged), 1)).toMatch(
      /<file>: the export is damaged or was altered, nothing was written/,
    );
    // the sidecar's SHA-256 made to match: the chunk's own tag still refuses it
    const { createHash } = await import("node:crypto");
    writeFileSync(
      `${damaged}.meta.json`,
      JSON.stringify({
        ...sidecar,
        sha256: createHash("sha256").update(readFileSync(damaged)).digest("hex"),
      }),
    );
    expect(await fresh.fails(importInto(damaged), 1)).toMatch(
      /<file>: the export is damaged .*chunk/,
    );
    const other = join(tempDataDir("steward-other-"), "other.key");
    await fresh.ok(["backup", "keygen", "--out", other]);
    expect(await fresh.fails(importInto(out, other), 1)).toMatch(
      /^steward: --identity: this private key does not open the export/,
    );
    expect(await fresh.fails(importInto(out, identity, c.dataDir), 1)).toMatch(
      /--data-dir: .* is not empty/,
    );
    expect(readdirSync(fresh.dataDir)).toEqual([]);

    const restored = await fresh.json<{ engine: string; restored: string[] }>(importInto(out));
    expect(restored.engine).toBe(dialect);
    expect(readdirSync(fresh.dataDir).sort()).toEqual(
      dialect === "sqlite"
        ? ["master.key", "steward.db", "steward.json"]
        : ["master.key", "steward.json"],
    );
    expect(readFileSync(join(fresh.dataDir, "master.key"), "utf8")).toBe(
      readFileSync(join(c.dataDir, "master.key"), "utf8"),
    );
    expect(JSON.parse(readFileSync(join(fresh.dataDir, "steward.json"), "utf8"))).toMatchObject({
      auditRetentionDays: 400,
    });

    const copy = await serve(fresh.dataDir, target);
    try {
      const users = await copy.call("GET", "/api/v1/users", key);
      expect(users.status).toBe(200);
      expect(users.body.items.map((u: { id: string }) => u.id)).toEqual([user.id]);
      const accounts = await copy.call("GET", "/api/v1/accounts", key);
      expect(accounts.body.items.map((a: { id: string }) => a.id)).toContain(account.id);
      // the sealed secret key opens (and is right: s3rver checks the signature)
      const tested = await copy.call(
        "POST",
        `/api/v1/backup-destinations/${destination.id}/test`,
        key,
      );
      expect(tested).toMatchObject({ status: 200, body: { ok: true } });
    } finally {
      await copy.stop();
    }
    expect(await fresh.auditActions("steward.import")).toEqual(["steward.import"]);
  }, 240_000);
});
