// The human-readable report: one row per endpoint and configuration, then the targets of
// issue 9 checked (0 errors and p99 <= 500 ms on SQLite).
import type { Result } from "./run.ts";

/** Rows as aligned columns: the first `left` columns padded right, the others (figures) left. */
export function formatTable(rows: string[][], left: number): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  const line = (r: string[]) =>
    r.map((c, i) => (i < left ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return rows.map(line).join("\n");
}

export function table(results: Result[], connections: number, seconds: number): string {
  const rows = [
    ["system", "endpoint", "requests", "p50 ms", "p99 ms", "max ms", "errors", "timeouts"],
    ...results.map((r) => [
      r.system,
      r.endpoint,
      String(r.requests),
      String(r.p50Ms),
      String(r.p99Ms),
      String(r.maxMs),
      String(r.errors),
      String(r.timeouts),
    ]),
  ];
  const out = [
    `${connections} concurrent clients for ${seconds} s, shared evenly among the endpoints`,
    "",
    formatTable(rows, 2),
    "",
  ];
  for (const system of new Set(results.map((r) => r.system))) {
    if (!system.startsWith("sqlite")) continue;
    const mine = results.filter((r) => r.system === system);
    const bad = mine.reduce((n, r) => n + r.errors + r.timeouts, 0);
    const p99 = Math.max(...mine.map((r) => r.p99Ms));
    out.push(`${bad === 0 ? "ok  " : "MISS"} ${system}: 0 errors and timeouts (${bad})`);
    out.push(`${p99 <= 500 ? "ok  " : "MISS"} ${system}: p99 <= 500 ms on every endpoint (${p99})`);
  }
  return `${out.join("\n")}\n`;
}
