// The human-readable report: figures per system (median of the rounds, with min and max of the
// throughput), then the targets of docs/design.md checked against the tuned peers.
import type { Settings } from "./harness.ts";
import type { Summary } from "./rounds.ts";

export function table(results: Summary[], s: Settings): string {
  const rows = [
    ["system", "tasks/s", "min", "max", "p50 ms", "p99 ms", "rounds"],
    ...results.map((r) => [
      r.system,
      String(r.tasksPerSecond),
      String(r.tasksPerSecondMin),
      String(r.tasksPerSecondMax),
      r.p50Ms.toFixed(2),
      r.p99Ms.toFixed(2),
      String(r.rounds),
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  const out = [
    `${s.tasks} no-op tasks at concurrency ${s.concurrency}, poll ${s.pollMs} ms; latency: ` +
      `${s.latencyTasks} tasks ${s.latencySpacingMs} ms apart to idle workers; medians of the rounds`,
    "",
    line(rows[0] ?? []),
    ...rows.slice(1).map(line),
    "",
    ...checks(results).map((c) => `${c.ok ? "ok  " : "MISS"} ${c.what}`),
  ];
  return `${out.join("\n")}\n`;
}

function checks(results: Summary[]) {
  const by = (name: string) => results.find((r) => r.system === name);
  const pg = by("steward-postgres");
  const sqlite = by("steward-sqlite");
  const out: { ok: boolean; what: string }[] = [];
  // the engine with its default outcome (tasks kept as records), and with the peers' own
  // (a completed job deleted)
  for (const ours of [pg, by("steward-postgres-delete")])
    for (const [peer, factor] of [
      ["graphile-worker-tuned", 1],
      ["pg-boss-tuned", 3],
    ] as const) {
      const other = by(peer);
      if (ours && other)
        out.push({
          ok: ours.tasksPerSecond >= factor * other.tasksPerSecond,
          what: `${ours.system} throughput >= ${factor}x ${peer}'s (${(ours.tasksPerSecond / other.tasksPerSecond).toFixed(2)}x)`,
        });
    }
  if (pg) out.push({ ok: pg.p50Ms <= 5, what: "steward-postgres enqueue-to-start p50 <= 5 ms" });
  if (sqlite)
    out.push({ ok: sqlite.tasksPerSecond >= 5000, what: "steward-sqlite >= 5,000 tasks/s" });
  return out;
}
