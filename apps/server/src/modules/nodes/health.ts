// A node's health as the API shows it: the heartbeat's latest point (percentages of memory
// and root disk in use) with the OS from the node's facts, and its history. Pure.
import type { agent, NodeHealth } from "@steward/contracts";
import type { Selectable } from "kysely";
import type { NodeMetricTable } from "../../db/schema.ts";
import { msToIso } from "../../lib/sql.ts";

export type MetricRow = Selectable<NodeMetricTable>;

/** the heartbeat keeps one point per minute for this long */
export const METRICS_KEPT_MS = 24 * 60 * 60_000;

const used = (total: number, available: number) =>
  Number(total) > 0 ? Math.round((1 - Number(available) / Number(total)) * 1000) / 10 : 0;

export function toPoint(r: MetricRow) {
  return {
    at: msToIso(Number(r.at)),
    load1: Number(r.load1),
    load5: Number(r.load5),
    load15: Number(r.load15),
    cpuPercent: Number(r.cpu_percent),
    memoryPercent: used(r.memory_total, r.memory_available),
    diskPercent: used(r.disk_total, r.disk_available),
  };
}

/** The OS as a person names it: its name with its version, unless the name says it already. */
export function osName(facts: agent.Facts | null): string | null {
  if (!facts?.os.name) return null;
  const { name, version } = facts.os;
  return !version || name.includes(version) ? name : `${name} ${version}`;
}

export function toHealth(r: MetricRow | undefined, facts: agent.Facts | null): NodeHealth | null {
  if (!r) return null;
  const { at, ...point } = toPoint(r);
  return { os: osName(facts), ...point, cpus: Number(r.cpus), measuredAt: at };
}

/** The row of one heartbeat answer, in its minute. */
export function metricRow(nodeId: string, load: agent.NodeLoad, now: number): MetricRow {
  return {
    node_id: nodeId,
    at: now - (now % 60_000),
    load1: load.load[0],
    load5: load.load[1],
    load15: load.load[2],
    cpus: load.cpus,
    cpu_percent: load.cpuPercent,
    memory_total: load.memory.totalBytes,
    memory_available: load.memory.availableBytes,
    disk_total: load.disk.totalBytes,
    disk_available: load.disk.availableBytes,
  };
}
