// The deploy key is one OpenSSH reads: ssh-keygen derives the same public key from the
// private file, and the file is unencrypted (no passphrase prompt in a task).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateDeployKey } from "./deploy-key.ts";

describe("deploy keys", () => {
  it("are Ed25519 keys in OpenSSH's formats", () => {
    const key = generateDeployKey("steward app_x");
    expect(key.publicKey).toMatch(
      /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]+ steward app_x$/,
    );
    const dir = mkdtempSync(join(tmpdir(), "steward-key-"));
    try {
      const file = join(dir, "key");
      writeFileSync(file, key.privateKey, { mode: 0o600 });
      const derived = execFileSync("/usr/bin/ssh-keygen", ["-y", "-P", "", "-f", file]).toString();
      expect(derived.trim().split(" ").slice(0, 2)).toEqual(key.publicKey.split(" ").slice(0, 2));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(generateDeployKey("a").publicKey).not.toBe(generateDeployKey("a").publicKey);
  });
});
