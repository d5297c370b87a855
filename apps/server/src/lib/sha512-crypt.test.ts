import { execFileSync } from "node:child_process";
import { passwordHashPattern } from "@steward/contracts/hosting";
import { describe, expect, it } from "vitest";
import { sha512Crypt } from "./sha512-crypt.ts";

describe("sha512Crypt", () => {
  it("matches openssl passwd -6 for passwords and salts of every length class", () => {
    const cases: [string, string][] = [
      ["correct horse battery", "saltsalt"],
      ["x", "a"],
      ["ünïcødé pässwörd with spaces and $ signs", "0123456789abcdef"],
      ["p".repeat(130), "./AZaz09"],
    ];
    for (const [password, salt] of cases) {
      const expected = execFileSync("openssl", ["passwd", "-6", "-salt", salt, password], {
        encoding: "utf8",
      }).trim();
      expect(sha512Crypt(password, salt)).toBe(expected);
    }
  });

  it("matches glibc's own test vector with rounds, and makes fresh salts", () => {
    // from Drepper's specification
    expect(sha512Crypt("Hello world!", "saltstringsaltstring", 10000)).toBe(
      "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.",
    );
    const a = sha512Crypt("pw-1234567");
    expect(a).toMatch(passwordHashPattern);
    expect(sha512Crypt("pw-1234567")).not.toBe(a);
  });
});
