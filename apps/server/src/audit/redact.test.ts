import { describe, expect, it } from "vitest";
import { diffOf, REDACTED, redact } from "./redact.ts";

describe("redact", () => {
  it("replaces secret-looking fields at any depth and keeps the rest", () => {
    const input = {
      email: "ann@example.com",
      password: "hunter2hunter2",
      profile: { name: "Ann", apiKey: "stw_abc", nested: { clientSecret: "s", key: "k" } },
      sessions: [
        { id: "s1", token: "t1" },
        { id: "s2", refreshToken: "t2" },
      ],
      totp: { code: "123456", backupCodes: ["a", "b"] },
      privateKey: "-----BEGIN PRIVATE KEY-----",
      credentials: { user: "u", pass: "p" },
      headers: { Authorization: "Bearer x", Cookie: "steward.session=y", accept: "*/*" },
    };
    expect(redact(input)).toEqual({
      email: "ann@example.com",
      password: REDACTED,
      profile: { name: "Ann", apiKey: REDACTED, nested: { clientSecret: REDACTED, key: REDACTED } },
      sessions: [
        { id: "s1", token: REDACTED },
        { id: "s2", refreshToken: REDACTED },
      ],
      totp: { code: REDACTED, backupCodes: REDACTED },
      privateKey: REDACTED,
      credentials: REDACTED,
      headers: { Authorization: REDACTED, Cookie: REDACTED, accept: "*/*" },
    });
  });

  it("does not change its input", () => {
    const input = { password: "p", list: [{ token: "t" }] };
    redact(input);
    expect(input).toEqual({ password: "p", list: [{ token: "t" }] });
  });

  it("shows that a secret is unset", () => {
    expect(redact({ password: null, token: undefined })).toEqual({
      password: null,
      token: undefined,
    });
  });

  it("truncates long strings, nested ones too", () => {
    const long = "a".repeat(5000);
    expect(redact(long)).toBe(`${"a".repeat(2000)}…`);
    expect(redact({ log: [long] })).toEqual({ log: [`${"a".repeat(2000)}…`] });
    expect(redact("a".repeat(2000))).toBe("a".repeat(2000));
  });

  it("stops at cycles and very deep values", () => {
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    expect(() => JSON.stringify(redact(cyclic))).not.toThrow();
    expect(JSON.stringify(redact(cyclic))).toContain("[too deep]");
  });
});

describe("diffOf", () => {
  it("keeps only the fields that changed", () => {
    const before = { name: "a", slug: "x", tags: ["1"], limits: { sites: 1 } };
    const after = { name: "b", slug: "x", tags: ["1"], limits: { sites: 2 } };
    expect(diffOf(before, after)).toEqual({
      name: { from: "a", to: "b" },
      limits: { from: { sites: 1 }, to: { sites: 2 } },
    });
  });

  it("includes added and removed fields", () => {
    expect(diffOf({ a: 1 }, { b: 2 })).toEqual({
      a: { from: 1, to: undefined },
      b: { from: undefined, to: 2 },
    });
  });

  it("is empty when nothing changed", () => {
    expect(diffOf({ a: 1, b: { c: [1] } }, { a: 1, b: { c: [1] } })).toEqual({});
  });

  it("says a secret changed without showing it", () => {
    expect(diffOf({ password: "old", name: "a" }, { password: "new", name: "a" })).toEqual({
      password: REDACTED,
    });
  });

  it("redacts whole records when created or deleted", () => {
    expect(diffOf(null, { name: "k", secret: "s" })).toEqual({
      after: { name: "k", secret: REDACTED },
    });
    expect(diffOf({ name: "k", token: "t" }, null)).toEqual({
      before: { name: "k", token: REDACTED },
    });
  });
});
