// `steward backup keygen | export | import` fed hostile values (quotes, backticks, `;`, `--`,
// newlines, `..` and `.` segments, 200+ characters, a key that is not one): each is refused
// with one line naming the flag, before anything is read or written.
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

describe("steward backup export / import: refused input", () => {
  it("names the flag and writes nothing", async () => {
    const c = cliFor();
    const identity = join(c.dataDir, "id.key");
    const { publicKey } = await c.json<{ publicKey: string }>([
      "backup",
      "keygen",
      "--out",
      identity,
    ]);
    expect(await c.fails(["backup", "keygen", "--out", identity], 2)).toMatch(/--out: .* exists/);
    const exportTo = (out: string, recipient = publicKey) => [
      "backup",
      "export",
      "--recipient",
      recipient,
      "--out",
      out,
    ];
    for (const recipient of [
      "x'; drop table users; --",
      `${publicKey}\n`,
      "a".repeat(300),
      "`id`",
      "AAAA",
    ])
      expect(await c.fails(exportTo(join(c.dataDir, "a.stwbak"), recipient), 2)).toContain(
        "--recipient",
      );
    for (const out of [
      "../a.stwbak",
      "x/../../etc/a.stwbak",
      "a;b.stwbak",
      "a'b.stwbak",
      "a\nb.stwbak",
      `${"a".repeat(250)}.stwbak`,
      "-rf",
      "out/",
    ])
      expect(await c.fails(exportTo(out), 2)).toContain("--out");
    const importOf = (file: string, id = identity, data = "restored") => [
      "backup",
      "import",
      file,
      "--identity",
      id,
      "--data-dir",
      data,
    ];
    for (const file of ["../x.stwbak", "a`b`.stwbak", "x\n.stwbak", "select;"])
      expect(await c.fails(importOf(file), 2)).toContain("<file>");
    for (const id of ["../id.key", "id\nkey"])
      expect(await c.fails(importOf("x.stwbak", id), 2)).toContain("--identity");
    writeFileSync(join(c.dataDir, "bad.key"), "'; drop table users; --\n");
    expect(await c.fails(importOf("x.stwbak", join(c.dataDir, "bad.key")), 2)).toContain(
      "--identity",
    );
    for (const data of ["../elsewhere", "a/./b", "x\ny"])
      expect(await c.fails(importOf("x.stwbak", identity, data), 2)).toContain("--data-dir");
    expect(
      await c.fails(importOf(join(c.dataDir, "missing.stwbak"), identity, join(c.dataDir, "r")), 1),
    ).toContain("<file>");
    // refused before anything opened the database or made a file
    expect(readdirSync(c.dataDir).sort()).toEqual(["bad.key", "id.key"]);
  }, 120_000);
});
