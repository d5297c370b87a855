// What the monitors' pages share: a monitor's state at a glance (a badge with its word, never
// colour alone: paused and in maintenance before what the checks say), its kinds' names, and
// intervals in words.
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import type { Item } from "../lib/api.ts";

export type Monitor = Item<"/api/v1/monitors">;

export const MONITOR_STATES = ["up", "down", "degraded", "pending"] as const;
export const MONITOR_KINDS = ["http", "tcp", "dns", "tls", "heartbeat", "ping", "rdap"] as const;
export type MonitorKind = (typeof MONITOR_KINDS)[number];

export const KIND_LABELS: Record<MonitorKind, string> = {
  http: "HTTP(S)",
  tcp: "TCP port",
  dns: "DNS record",
  tls: "TLS certificate",
  heartbeat: "Heartbeat",
  ping: "Ping",
  rdap: "Domain registration",
};

const tones: Record<string, BadgeTone> = {
  up: "ok",
  down: "danger",
  degraded: "warn",
  pending: "info",
  paused: "neutral",
  maintenance: "info",
};

type Shown = Pick<Monitor, "state" | "paused" | "maintenance">;

/** What a person should read first: paused, in a maintenance window, else the checks' state. */
export function shownState(m: Shown, now = Date.now()): string {
  if (m.paused) return "paused";
  const inWindow = m.maintenance.some((w) => Date.parse(w.start) <= now && now < Date.parse(w.end));
  return inWindow ? "maintenance" : m.state;
}

export function MonitorState({ monitor }: { monitor: Shown & { flapping?: boolean } }) {
  const state = shownState(monitor);
  return (
    <span className="flex flex-wrap items-center gap-1">
      <Badge tone={tones[state] ?? "neutral"}>{state}</Badge>
      {monitor.flapping ? <Badge tone="warn">flapping</Badge> : null}
    </span>
  );
}

/** "every 30 s", "every 5 min", "every 2 h". */
export function everyWords(seconds: number): string {
  if (seconds % 3600 === 0) return `every ${seconds / 3600} h`;
  if (seconds % 60 === 0) return `every ${seconds / 60} min`;
  return `every ${seconds} s`;
}
