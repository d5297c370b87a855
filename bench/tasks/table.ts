// The human-readable report: figures per system, then the targets from docs/design.md checked.
import type { Result, Settings } from "./harness.ts";

export function table(results: Result[], s: Settings): string {
  const rows = [
    ["system", "tasks/s", "p50 ms", "p99 ms"],
    ...results.map((r) => [
      r.system,
      String(r.tasksPerSecond),
      r.p50Ms.toFixed(2),
      r.p99Ms.toFixed(2),
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  const out = [
    `${s.tasks} no-op tasks at concurrency ${s.concurrency}, poll ${s.pollMs} ms; latency: ` +
      `${s.latencyTasks} tasks ${s.latencySpacingMs} ms apart to idle workers`,
    "",
    line(rows[0] ?? []),
    ...rows.slice(1).map(line),
    "",
    ...checks(results).map((c) => `${c.ok ? "ok  " : "MISS"} ${c.what}`),
  ];
  return `${out.join("\n")}\n`;
}

function checks(results: Result[]) {
  const by = (name: string) => results.find((r) => r.system === name);
  const pg = by("steward-postgres");
  const sqlite = by("steward-sqlite");
  const graphile = by("graphile-worker");
  const boss = by("pg-boss");
  const out: { ok: boolean; what: string }[] = [];
  if (pg && graphile)
    out.push({
      ok: pg.tasksPerSecond >= graphile.tasksPerSecond,
      what: "steward-postgres throughput >= graphile-worker's",
    });
  if (pg && boss)
    out.push({
      ok: pg.tasksPerSecond >= 3 * boss.tasksPerSecond,
      what: "steward-postgres throughput >= 3x pg-boss's",
    });
  if (pg) out.push({ ok: pg.p50Ms <= 5, what: "steward-postgres p50 <= 5 ms" });
  if (sqlite)
    out.push({ ok: sqlite.tasksPerSecond >= 2000, what: "steward-sqlite >= 2,000 tasks/s" });
  return out;
}
