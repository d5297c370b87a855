// bench:api's readable report: one row per system, actor and endpoint, then the targets of
// issue 11 checked (ok / MISS).
import { formatTable } from "../load/table.ts";
import type { Result } from "./measure.ts";

export const P99_TARGET_MS = 50;
const ME = "GET /api/v1/me";

function targets(results: Result[]): string[] {
  const out: string[] = [];
  const mark = (ok: boolean) => (ok ? "ok  " : "MISS");
  const systems = new Set(
    results.filter((r) => r.system.startsWith("steward-")).map((r) => r.system),
  );
  for (const system of systems) {
    const floor = results.find(
      (r) => r.system === "floor-healthz" && r.endpoint.endsWith(`(${system})`),
    );
    for (const actor of new Set(results.filter((r) => r.system === system).map((r) => r.actor))) {
      const mine = results.filter((r) => r.system === system && r.actor === actor);
      const lists = mine.filter((r) => r.endpoint !== ME);
      const slow = lists.filter((r) => r.p99Ms > P99_TARGET_MS);
      const worst = [...lists].sort((a, b) => b.p99Ms - a.p99Ms)[0];
      out.push(
        `${mark(slow.length === 0)} ${system}/${actor}: every list and the dashboard p99 <= ${P99_TARGET_MS} ms ` +
          `(${lists.length - slow.length} of ${lists.length}; worst ${worst?.p99Ms} ms ${worst?.endpoint ?? ""})`,
      );
      const me = mine.find((r) => r.endpoint === ME);
      if (me && floor)
        out.push(
          `${mark(me.reqPerSec * 2 >= floor.reqPerSec)} ${system}/${actor}: ${ME} req/s >= half the /healthz floor's ` +
            `(${me.reqPerSec} against ${floor.reqPerSec})`,
        );
      const errors = mine.reduce((n, r) => n + r.errors, 0);
      out.push(`${mark(errors === 0)} ${system}/${actor}: 0 errors (${errors})`);
    }
  }
  return out;
}

export function table(results: Result[], connections: number, seconds: number): string {
  const rows = [
    [
      "system",
      "actor",
      "endpoint",
      "req/s",
      "p50 ms",
      "p99 ms",
      "errors",
      "CPU ms/answer",
      "loop held ms",
    ],
    ...results.map((r) => [
      r.system,
      r.actor,
      r.endpoint,
      String(r.reqPerSec),
      String(r.p50Ms),
      String(r.p99Ms),
      String(r.errors),
      String(r.cpuMsPerAnswer ?? ""),
      String(r.loopDelayMaxMs ?? ""),
    ]),
  ];
  return [
    `${connections} concurrent clients, each endpoint alone for ${seconds} s`,
    "",
    formatTable(rows, 3),
    "",
    ...targets(results),
    "",
  ].join("\n");
}
