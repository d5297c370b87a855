// The framework's per-node service locks: an operation declaring services holds them from its
// first phase to the end of verify, and again for a rollback; services declared in any order
// never deadlock; a cancelled wait gives the lock up.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AgentConfig, parseConfig } from "../config.ts";
import type { ServiceName } from "../system/service.ts";
import { runOperation } from "./framework.ts";
import { KeyedLock } from "./lock.ts";
import { type OpContext, OpFailure, type Phase } from "./types.ts";

let dir: string;
let config: AgentConfig;
let locks: KeyedLock;
let events: string[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "steward-locks-"));
  config = parseConfig(dir, { nodeId: "n1", panelUrl: "http://127.0.0.1:1", systemd: false });
  locks = new KeyedLock();
  events = [];
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const tick = () => new Promise((r) => setImmediate(r));

/** An operation going through every phase; each phase yields to the others a few times. */
function op(name: string, services: ServiceName[], opts: { failAfterVerify?: boolean } = {}) {
  const phases: Phase[] = ["stage", "test", "activate", "verify"];
  return {
    name,
    services,
    async run(ctx: OpContext) {
      for (const p of phases)
        await ctx.phase(p, async () => {
          if (p === "stage") await ctx.writeFile(join(dir, `${name}.conf`), name);
          events.push(`${name} ${p}`);
          for (let i = 0; i < 3; i++) await tick();
        });
      events.push(`${name} after verify, holding: ${locks.held("nginx")}`);
      ctx.onRollback("reload", async () => {
        events.push(`${name} rollback, holding: ${locks.held("nginx")}`);
      });
      for (let i = 0; i < 3; i++) await tick();
      if (opts.failAfterVerify) throw new OpFailure("VERIFY_FAILED", "failed after verify");
    },
  };
}

const go = (h: ReturnType<typeof op>, signal?: AbortSignal) =>
  runOperation(h, {}, { config, requestId: h.name, locks, ...(signal ? { signal } : {}) });

/** The phases of each operation in the order they ran, grouped by operation. */
const phaseRuns = () =>
  events
    .filter((e) => / (stage|test|activate|verify)$/.test(e))
    .map((e) => e.split(" ")[0])
    .filter((n, i, all) => n !== all[i - 1]);

describe("per-node service locks", () => {
  it("runs the phases of operations on the same service one operation at a time", async () => {
    const rs = await Promise.all(["a", "b", "c"].map((n) => go(op(n, ["nginx", "php-fpm"]))));
    expect(rs.map((r) => r.status)).toEqual(["ok", "ok", "ok"]);
    expect(phaseRuns()).toEqual(["a", "b", "c"]);
    // a waiting operation says so in its steps
    expect(rs[1]?.steps.map((s) => s.name)).toContain(
      "wait for other operations on nginx, php-fpm",
    );
    expect(locks.held("nginx")).toBe(false);
  });

  it("takes services declared in any order in one order: no deadlock", async () => {
    const rs = await Promise.all([
      go(op("a", ["php-fpm", "nginx"])),
      go(op("b", ["nginx", "php-fpm"])),
      go(op("c", ["php-fpm", "nginx"])),
    ]);
    expect(rs.map((r) => r.status)).toEqual(["ok", "ok", "ok"]);
    expect(phaseRuns()).toEqual(["a", "b", "c"]);
  });

  it("lets operations on other services run alongside", async () => {
    const waitsForB = {
      name: "a",
      services: ["nginx"] as ServiceName[],
      run: (ctx: OpContext) =>
        ctx.phase("stage", async () => {
          // b writes a file in its stage: give it real time, not a count of loop turns
          const end = Date.now() + 20_000;
          while (Date.now() < end && !events.includes("b stage"))
            await new Promise((r) => setTimeout(r, 5));
          events.push(`a saw b: ${events.includes("b stage")}`);
        }),
    };
    await Promise.all([
      runOperation(waitsForB, {}, { config, requestId: "a", locks }),
      go(op("b", ["php-fpm"])),
    ]);
    expect(events).toContain("a saw b: true");
  });

  it("releases after verify, and holds again to roll back a later failure", async () => {
    const [a, b] = await Promise.all([
      go(op("a", ["nginx"], { failAfterVerify: true })),
      go(op("b", ["nginx"])),
    ]);
    expect(a?.status).toBe("rolled_back");
    expect(b?.status).toBe("ok");
    expect(events).toContain("a after verify, holding: true"); // b took it at once
    expect(events).toContain("a rollback, holding: true");
    // a's rollback waited for b's phases to end
    expect(events.indexOf("a rollback, holding: true")).toBeGreaterThan(events.indexOf("b verify"));
  });

  it("a cancelled wait fails without touching anything and gives the lock up", async () => {
    const release = await locks.acquire("nginx");
    const ac = new AbortController();
    const waiting = go(op("a", ["nginx"]), ac.signal);
    await tick();
    ac.abort();
    const r = await waiting;
    expect(r).toMatchObject({ status: "failed", changed: false, error: { code: "CANCELLED" } });
    expect(events).toEqual([]);
    release();
    expect(locks.held("nginx")).toBe(false);
    expect((await go(op("b", ["nginx"]))).status).toBe("ok");
  });
});
