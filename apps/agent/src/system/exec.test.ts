import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExecError, run, Tail, truncateTail } from "./exec.ts";

describe("exec", () => {
  it("never uses a shell: shell syntax stays literal", async () => {
    const dir = await mkdtemp(join(tmpdir(), "steward-exec-"));
    try {
      const marker = join(dir, "x");
      const hostile = [
        `$(touch ${marker})`,
        `; touch ${marker}`,
        `\`touch ${marker}\``,
        "a && b",
        "*",
      ];
      const r = await run(["/bin/echo", ...hostile]);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe(`${hostile.join(" ")}\n`);
      expect(existsSync(marker)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("gives the process a fixed minimal environment, never the agent's", async () => {
    process.env.STEWARD_SECRET_FOR_TEST = "leak";
    try {
      const r = await run(["/usr/bin/env"], { env: { EXTRA: "1" } });
      expect(r.stdout.trim().split("\n").sort()).toEqual([
        "EXTRA=1",
        "LC_ALL=C",
        "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
      ]);
    } finally {
      delete process.env.STEWARD_SECRET_FOR_TEST;
    }
  });

  it("passes stdin, reports exit codes and stderr", async () => {
    expect((await run(["/bin/cat"], { input: "hello" })).stdout).toBe("hello");
    const r = await run(["/bin/ls", "/nonexistent-dir"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/No such file or directory/);
  });

  it("stops a process at its timeout", async () => {
    const started = Date.now();
    await expect(run(["/usr/bin/sleep", "30"], { timeoutMs: 200 })).rejects.toMatchObject({
      code: "TIMEOUT",
      message: "/usr/bin/sleep did not finish within 200 ms and was stopped",
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("an abort signal kills the process", async () => {
    const ac = new AbortController();
    const p = run(["/usr/bin/sleep", "30"], { signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    await expect(p).rejects.toMatchObject({ code: "CANCELLED" });
  });

  it("says clearly when a binary is missing or not executable", async () => {
    await expect(run(["/nonexistent/bin"])).rejects.toBeInstanceOf(ExecError);
    await expect(run(["/nonexistent/bin"])).rejects.toMatchObject({ code: "NOT_FOUND" });
    const dir = await mkdtemp(join(tmpdir(), "steward-exec-"));
    try {
      const file = join(dir, "not-executable");
      await writeFile(file, "#!/bin/sh\n", { mode: 0o644 });
      await expect(run([file])).rejects.toMatchObject({ code: "NOT_EXECUTABLE" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("keeps only the end of long output", async () => {
    const r = await run(["/usr/bin/seq", "1", "100000"], { maxOutput: 1000 });
    expect(Buffer.byteLength(r.stdout)).toBe(1000);
    expect(r.stdout.endsWith("99999\n100000\n")).toBe(true);
    const t = new Tail(5);
    t.push(Buffer.from("abc"));
    t.push(Buffer.from("defgh"));
    expect(t.text()).toBe("defgh");
    expect(t.dropped).toBe(3);
    expect(truncateTail("short", 10)).toBe("short");
    expect(truncateTail("0123456789abc", 3)).toBe("[10 bytes truncated]\nabc");
  });
});
