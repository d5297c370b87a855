// The in-memory zip against Info-ZIP's `unzip`: the archive tests clean, lists every entry with
// its size, and gives the bytes back (a UTF-8 name, an empty file, binary data); the same
// files make the same bytes. (WordPress's own unzipping of it: modules/cms/cms-wordpress.test.ts.)
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { zip } from "./zip.ts";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "steward-zip-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("zip", () => {
  const entries = [
    { path: "plugin/plugin.php", data: Buffer.from("<?php\n// hello\n".repeat(200)) },
    { path: "plugin/empty.txt", data: Buffer.alloc(0) },
    { path: "plugin/données/é.bin", data: Buffer.from([0, 1, 2, 255, 254, 10, 13]) },
  ];

  it("is an archive unzip reads back byte for byte", async () => {
    const file = join(dir, "a.zip");
    writeFileSync(file, zip(entries));
    const tested = await run("unzip", ["-t", file]);
    expect(tested.stdout).toContain("No errors detected");
    await run("unzip", ["-q", "-o", file, "-d", join(dir, "out")]);
    for (const e of entries) expect(readFileSync(join(dir, "out", e.path))).toEqual(e.data);
    const listed = (await run("unzip", ["-Z1", file])).stdout.trim().split("\n");
    expect(listed).toEqual(entries.map((e) => e.path));
  });

  it("makes the same bytes from the same files", () => {
    expect(zip(entries).equals(zip(entries))).toBe(true);
  });
});
