import { describe, expect, it } from "vitest";
import { BAD_HOME_PATHS, BAD_SSH_KEYS, BAD_SYS_USER_NAMES } from "../testing/hostile.ts";
import {
  homePath,
  mainUserName,
  passwordHash,
  sshPublicKey,
  sysUserName,
  sysUserPassword,
} from "./names.ts";

const ED25519 =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHcRYjtClzJydhE7JQz/owOfFD5O0JVQvLEDGb7pbsk3 alice@laptop";
const ECDSA =
  "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEciKpncabYvzxDA4vWVQYaFAgrwmaY8L0+wcyQfywvxeVETiGxnwFSovZ658Aab53fGajDBa8NqQiX9OKdssI4= x y z";

describe("hosting validators", () => {
  it("takes useradd's names that start with a letter, up to 32 characters", () => {
    for (const name of ["alice", "a", "shop_1", "web-team", "a".repeat(32)])
      expect(sysUserName.safeParse(name).success, name).toBe(true);
  });

  it("refuses reserved, long, uppercase, leading dot/dash/digit and injected names", () => {
    for (const name of BAD_SYS_USER_NAMES)
      expect(sysUserName.safeParse(name).success, JSON.stringify(name)).toBe(false);
    expect(sysUserName.safeParse("root").error?.issues[0]?.message).toBe(
      "is reserved for the system or a service",
    );
  });

  it("keeps a main user's name short enough for its CGI user", () => {
    expect(mainUserName.safeParse("a".repeat(28)).success).toBe(true);
    expect(mainUserName.safeParse("a".repeat(29)).error?.issues[0]?.message).toMatch(/-cgi/);
  });

  it("takes homes inside the account's home only", () => {
    for (const path of ["team", "team/alice", "uploads/2026", "a.b_c-d"])
      expect(homePath.safeParse(path).success, path).toBe(true);
    for (const path of BAD_HOME_PATHS)
      expect(homePath.safeParse(path).success, JSON.stringify(path)).toBe(false);
    expect(homePath.safeParse("../other").error?.issues[0]?.message).toMatch(/inside/);
  });

  it("parses public keys: type, base64 of the same type, optional comment", () => {
    expect(sshPublicKey.safeParse(ED25519).success).toBe(true);
    expect(sshPublicKey.safeParse(ECDSA).success).toBe(true);
    expect(sshPublicKey.safeParse(`  ${ED25519}\n`).data).toBe(ED25519);
    for (const key of BAD_SSH_KEYS)
      expect(sshPublicKey.safeParse(key).success, JSON.stringify(key)).toBe(false);
  });

  it("takes passwords without newlines or colons, and only SHA-512 crypt hashes", () => {
    expect(sysUserPassword.safeParse("a good long password").success).toBe(true);
    for (const bad of ["short", "with\nnewline-xxxxx", "colon:inside-xxxx", "x".repeat(129)])
      expect(sysUserPassword.safeParse(bad).success, bad).toBe(false);
    expect(passwordHash.safeParse("$1$abc$def").success).toBe(false);
    expect(passwordHash.safeParse(`$6$salt$${"a".repeat(86)}`).success).toBe(true);
    expect(passwordHash.safeParse(`$6$salt$${"a".repeat(86)}\nroot::0:0`).success).toBe(false);
  });
});
