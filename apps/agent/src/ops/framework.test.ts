import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AgentConfig, parseConfig } from "../config.ts";
import { type LogLine, runOperation } from "./framework.ts";
import { type OpContext, OpFailure } from "./types.ts";

let dir: string;
let config: AgentConfig;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "steward-ops-"));
  config = parseConfig(dir, { nodeId: "n1", panelUrl: "http://127.0.0.1:1", systemd: false });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A test-only operation: writes files, runs commands, fails where asked. */
const op = (run: (ctx: OpContext) => Promise<unknown>) => ({ name: "test.op", run });
const go = (h: ReturnType<typeof op>, signal?: AbortSignal, logs: LogLine[] = []) =>
  runOperation(
    h,
    {},
    {
      config,
      requestId: "req-1",
      onLog: (l) => logs.push(l),
      ...(signal ? { signal } : {}),
    },
  );

describe("operation framework", () => {
  it("a failure before activate undoes the staged writes and says failed", async () => {
    const kept = join(dir, "kept.conf");
    await writeFile(kept, "old\n", { mode: 0o640 });
    const fresh = join(dir, "sub", "fresh.conf");
    const r = await go(
      op(async (ctx) => {
        await ctx.phase("stage", async () => {
          await ctx.writeFile(kept, "new\n");
          await ctx.mkdir(join(dir, "sub"), { mode: 0o750 });
          await ctx.writeFile(fresh, "x");
        });
        await ctx.phase("test", async () => {
          await ctx.exec("check the configuration", ["/bin/false"]);
        });
      }),
    );
    expect(r.status).toBe("failed");
    expect(r.changed).toBe(false);
    expect(r.error?.code).toBe("COMMAND_FAILED");
    expect(r.error?.message).toMatch(
      /^check the configuration failed: \/bin\/false exited with code 1/,
    );
    expect(await readFile(kept, "utf8")).toBe("old\n");
    expect((await stat(kept)).mode & 0o777).toBe(0o640);
    expect(existsSync(join(dir, "sub"))).toBe(false);
    const failed = r.steps.find((s) => s.name === "check the configuration");
    expect(failed).toMatchObject({ command: ["/bin/false"], exitCode: 1, ok: false });
    expect(r.steps.map((s) => s.name)).toContain(`rollback: restore ${kept}`);
  });

  it("a failure in verify rolls back: files byte-identical, undo actions newest first", async () => {
    const file = join(dir, "site.conf");
    const before = Buffer.from([0, 1, 2, 255, 10, 13, 10]);
    await writeFile(file, before);
    const order: string[] = [];
    const r = await go(
      op(async (ctx) => {
        await ctx.phase("stage", async () => {
          await ctx.writeFile(file, "server { }\n");
          ctx.onRollback("first", async () => {
            order.push(`first saw ${(await readFile(file)).equals(before)}`);
          });
        });
        await ctx.phase("activate", async () => {
          ctx.onRollback("reload", async () => {
            order.push(`reload saw ${(await readFile(file)).equals(before)}`);
          });
        });
        await ctx.phase("verify", async () => {
          throw new OpFailure("VERIFY_FAILED", "the site does not answer on port 80");
        });
      }),
    );
    expect(r.status).toBe("rolled_back");
    expect(r.changed).toBe(false);
    expect(r.error).toEqual({
      code: "VERIFY_FAILED",
      message: "the site does not answer on port 80",
    });
    expect((await readFile(file)).equals(before)).toBe(true);
    // files are restored first, so the reload registered in activate sees the old file
    expect(order).toEqual(["reload saw true", "first saw true"]);
  });

  it("an identical re-run reports changed: false", async () => {
    const file = join(dir, "a.conf");
    const h = op(async (ctx) => {
      await ctx.phase("stage", () => ctx.mkdir(join(dir, "d"), { mode: 0o700 }));
      await ctx.phase("activate", () => ctx.writeFile(file, "same\n", { mode: 0o600 }));
      return { ok: 1 };
    });
    const first = await go(h);
    expect(first).toMatchObject({ status: "ok", changed: true, output: { ok: 1 } });
    const again = await go(h);
    expect(again).toMatchObject({ status: "ok", changed: false });
    await writeFile(file, "edited by hand\n");
    expect((await go(h)).changed).toBe(true);
    expect(await readFile(file, "utf8")).toBe("same\n");
  });

  it("keeps the last 4 KiB of a step's output and says how much was cut", async () => {
    const r = await go(op((ctx) => ctx.exec("count", ["/usr/bin/seq", "1", "20000"])));
    const s = r.steps[0];
    expect(s?.exitCode).toBe(0);
    expect(s?.stdout).toMatch(/^\[\d+ bytes truncated\]\n/);
    expect(s?.stdout.endsWith("19999\n20000\n")).toBe(true);
    const out = s?.stdout ?? "";
    expect(Buffer.byteLength(out.slice(out.indexOf("\n") + 1))).toBe(4096);
  });

  it("a command that does not exist fails with a message naming it", async () => {
    const r = await go(
      op((ctx) => ctx.exec("reload nginx", ["/nonexistent/nginx", "-s", "reload"])),
    );
    expect(r.status).toBe("failed");
    expect(r.error?.code).toBe("COMMAND_NOT_FOUND");
    expect(r.error?.message).toBe(
      "reload nginx: /nonexistent/nginx was not found: install it, or set its path in the agent's agent.json",
    );
    expect(r.steps[0]).toMatchObject({
      command: ["/nonexistent/nginx", "-s", "reload"],
      exitCode: null,
      ok: false,
    });
  });

  it("abort kills the running process and rolls back", async () => {
    const file = join(dir, "x.conf");
    const ac = new AbortController();
    const logs: LogLine[] = [];
    const started = Date.now();
    const p = go(
      op(async (ctx) => {
        await ctx.phase("activate", async () => {
          await ctx.writeFile(file, "new");
          await ctx.exec("wait", ["/usr/bin/sleep", "30"]);
        });
      }),
      ac.signal,
      logs,
    );
    setTimeout(() => ac.abort(), 300);
    const r = await p;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.status).toBe("rolled_back");
    expect(r.error?.code).toBe("CANCELLED");
    expect(existsSync(file)).toBe(false);
    expect(logs.map((l) => l.message)).toContain("phase activate");
  });

  it("an unexpected error becomes a generic message naming the step", async () => {
    const seen: unknown[] = [];
    const r = await runOperation(
      op(async (ctx) => {
        await ctx.step("render the template", () => {
          throw new TypeError("cannot read properties of undefined");
        });
      }),
      {},
      { config, requestId: "req-9", onUnexpected: (e) => seen.push(e) },
    );
    expect(r.status).toBe("failed");
    expect(r.error?.code).toBe("INTERNAL");
    expect(r.error?.message).toBe(
      'unexpected error in step "render the template" (the agent\'s log has the details, request req-9)',
    );
    expect(seen[0]).toBeInstanceOf(TypeError);
    expect(r.steps[0]).toMatchObject({ ok: false, stderr: "cannot read properties of undefined" });
  });

  it("a rollback that cannot complete says so and reports failed", async () => {
    const r = await go(
      op(async (ctx) => {
        ctx.onRollback("restart the service", async () => {
          throw new Error("it would not start");
        });
        await ctx.phase("activate", async () => {
          throw new OpFailure("CONFIG", "the new configuration was refused");
        });
      }),
    );
    expect(r.status).toBe("failed");
    expect(r.changed).toBe(true);
    expect(r.error?.code).toBe("ROLLBACK_FAILED");
    expect(r.error?.message).toBe(
      "the new configuration was refused; the rollback did not complete (restart the service: it would not start)",
    );
  });

  it("streams log lines as they happen", async () => {
    const logs: LogLine[] = [];
    let seenDuring = 0;
    await go(
      op(async (ctx) => {
        ctx.log("info", "one");
        seenDuring = logs.length;
        await ctx.exec("echo", ["/bin/echo", "hi"]);
      }),
      undefined,
      logs,
    );
    expect(seenDuring).toBe(1);
    expect(logs.map((l) => l.message)).toEqual(["one", "echo: /bin/echo hi"]);
  });
});
