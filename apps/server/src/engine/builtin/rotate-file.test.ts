// Log file rotation on a real directory: generations shift, .1 stays plain, older ones are
// gzip files that decompress to what the log held, and no more than `keep` remain.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rotateLogFile } from "./rotate-file.ts";

describe("rotateLogFile", () => {
  let dir: string;
  let log: string;
  let reopened = 0;
  const reopen = () => {
    reopened++;
    writeFileSync(log, "", { mode: 0o600 }); // what the logger's reopen does: a fresh file
  };
  const read = (name: string) =>
    name.endsWith(".gz")
      ? gunzipSync(readFileSync(join(dir, name))).toString()
      : readFileSync(join(dir, name), "utf8");
  const files = () => readdirSync(dir).sort();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "steward-rotate-"));
    log = join(dir, "steward.log");
    reopened = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps the newest generation plain, compresses the older ones, keeps at most N", async () => {
    for (let i = 1; i <= 6; i++) {
      writeFileSync(log, `day ${i}\n`.repeat(100));
      const r = await rotateLogFile(log, 3, reopen);
      expect(r.rotated).toBe(true);
    }
    expect(reopened).toBe(6);
    expect(files()).toEqual([
      "steward.log",
      "steward.log.1",
      "steward.log.2.gz",
      "steward.log.3.gz",
    ]);
    expect(read("steward.log")).toBe("");
    expect(read("steward.log.1")).toBe("day 6\n".repeat(100));
    expect(read("steward.log.2.gz")).toBe("day 5\n".repeat(100));
    expect(read("steward.log.3.gz")).toBe("day 4\n".repeat(100));
    expect(statSync(join(dir, "steward.log.2.gz")).mode & 0o777).toBe(0o600);
  });

  it("keeps one generation with keep 1", async () => {
    for (const day of ["a", "b", "c"]) {
      writeFileSync(log, day);
      await rotateLogFile(log, 1, reopen);
    }
    expect(files()).toEqual(["steward.log", "steward.log.1"]);
    expect(read("steward.log.1")).toBe("c");
  });

  it("skips a missing or empty file and leaves the generations alone", async () => {
    expect(await rotateLogFile(log, 3, reopen)).toMatchObject({
      rotated: false,
      skipped: "no log file",
    });
    writeFileSync(log, "");
    writeFileSync(`${log}.1`, "old");
    expect(await rotateLogFile(log, 3, reopen)).toMatchObject({
      rotated: false,
      skipped: "the log file is empty",
    });
    expect(files()).toEqual(["steward.log", "steward.log.1"]);
    expect(reopened).toBe(0);
  });

  it("removes a compression a crash left half-written, and ignores unrelated files", async () => {
    writeFileSync(`${log}.2.gz.tmp`, "partial");
    writeFileSync(`${log}.1`, "yesterday");
    writeFileSync(join(dir, "steward.log.bak"), "keep me");
    writeFileSync(join(dir, "other.log.1"), "not ours");
    writeFileSync(log, "today");
    await rotateLogFile(log, 5, reopen);
    expect(files()).toEqual([
      "other.log.1",
      "steward.log",
      "steward.log.1",
      "steward.log.2.gz",
      "steward.log.bak",
    ]);
    expect(read("steward.log.2.gz")).toBe("yesterday");
  });

  it("refuses a keep below 1", async () => {
    writeFileSync(log, "x");
    await expect(rotateLogFile(log, 0, reopen)).rejects.toThrow(/at least 1/);
  });
});
