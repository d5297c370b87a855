import { createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadMasterKey, MasterKeyError } from "./master-key.ts";
import { createSecrets } from "./secrets.ts";

describe("loadMasterKey", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "steward-key-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const mode = (file: string) => statSync(file).mode & 0o777;

  it("creates a 32-byte key readable by its owner only, then reuses it", () => {
    const dataDir = join(dir, "data");
    const key = loadMasterKey(dataDir);
    expect(key).toHaveLength(32);
    expect(mode(join(dataDir, "master.key"))).toBe(0o600);
    expect(mode(dataDir) & 0o077).toBe(0);
    expect(loadMasterKey(dataDir).equals(key)).toBe(true);
  });

  it("uses a supplied key over the file, and writes no file for it", () => {
    const supplied = randomBytes(32);
    expect(loadMasterKey(dir, supplied.toString("base64")).equals(supplied)).toBe(true);
    expect(existsSync(join(dir, "master.key"))).toBe(false);
    const fromFile = loadMasterKey(dir);
    expect(loadMasterKey(dir, supplied.toString("base64")).equals(supplied)).toBe(true);
    expect(fromFile.equals(supplied)).toBe(false);
  });

  it("refuses a supplied key that is not 32 bytes", () => {
    expect(() => loadMasterKey(dir, randomBytes(16).toString("base64"))).toThrow(MasterKeyError);
    expect(() => loadMasterKey(dir, "not base64 at all")).toThrow(MasterKeyError);
  });

  it("refuses a key file that does not hold 32 bytes", () => {
    writeFileSync(join(dir, "master.key"), `${randomBytes(31).toString("base64")}\n`, {
      mode: 0o600,
    });
    expect(() => loadMasterKey(dir)).toThrow(MasterKeyError);
  });

  it("tightens a key file that others can read to 0600", () => {
    const file = join(dir, "master.key");
    writeFileSync(file, `${randomBytes(32).toString("base64")}\n`);
    chmodSync(file, 0o644);
    loadMasterKey(dir);
    expect(mode(file)).toBe(0o600);
  });
});

describe("secrets", () => {
  const secrets = createSecrets(randomBytes(32));

  it("round-trips values", () => {
    for (const plain of ["", "hunter2", "ünïcødé ✓ 🔑", "x".repeat(100_000)]) {
      expect(secrets.open(secrets.seal(plain))).toBe(plain);
    }
  });

  it("seals the same value differently each time", () => {
    const a = secrets.seal("same");
    const b = secrets.seal("same");
    expect(a).not.toBe(b);
    expect(a.split(":")[1]).not.toBe(b.split(":")[1]);
  });

  it("refuses tampered values, other keys and garbage", () => {
    const sealed = secrets.seal("the secret value");
    const parts = sealed.split(":");
    for (const i of [1, 2, 3]) {
      const bytes = Buffer.from(parts[i] as string, "base64url");
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      const tampered = parts.map((p, j) => (j === i ? bytes.toString("base64url") : p)).join(":");
      expect(() => secrets.open(tampered)).toThrow();
    }
    expect(() => createSecrets(randomBytes(32)).open(sealed)).toThrow();
    expect(() => secrets.open("plain text")).toThrow("not a sealed secret");
    expect(() => secrets.open(`v2:${parts.slice(1).join(":")}`)).toThrow("not a sealed secret");
  });

  it("derives stable keys, one per purpose, never the master key", () => {
    const master = randomBytes(32);
    const s = createSecrets(master);
    expect(s.derive("sessions").equals(createSecrets(master).derive("sessions"))).toBe(true);
    expect(s.derive("sessions").equals(s.derive("webhooks"))).toBe(false);
    expect(s.derive("sessions").equals(master)).toBe(false);
    expect(s.derive("sessions", 64)).toHaveLength(64);
    expect(createSecrets(randomBytes(32)).derive("sessions").equals(s.derive("sessions"))).toBe(
      false,
    );
  });

  it("never derives the key that seals secrets", () => {
    const sealed = secrets.seal("the secret value");
    const [, iv, tag, body] = sealed.split(":") as [string, string, string, string];
    const opensWith = (key: Buffer) => {
      try {
        const d = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
        d.setAuthTag(Buffer.from(tag, "base64url"));
        d.update(Buffer.from(body, "base64url"));
        d.final();
        return true;
      } catch {
        return false;
      }
    };
    let derived: Buffer | null = null;
    try {
      derived = secrets.derive("secrets:v1");
    } catch {
      derived = null; // refusing the purpose is fine too
    }
    expect(derived !== null && opensWith(derived)).toBe(false);
  });
});
