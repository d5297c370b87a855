// `--containers N`: N quick services deployed on the one node through the panel (10 at a
// time), then for `--seconds` 10 clients read the pages a user of them reads, each in turn —
// the apps list (an account's first page of 50), an app's stats, the node's
// containers and its engine's disk usage — while 4 live log streams (SSE) are open, and the
// agent's process is measured over the window: its peak resident memory (VmHWM, reset when
// the window begins) and CPU; the panel's from its own /metrics.
import { cpuSecondsOf, loadAverage, peakRssMbOf, resetPeakRss } from "../monitors/proc.ts";
import type { PanelNode } from "./panel-node.ts";
import { type EndpointRow, type ProcessRow, round, spread } from "./result.ts";
import { deployed } from "./through-panel.ts";

const CLIENTS = 10;
const STREAMS = 4;
const AT_ONCE = 10;

export interface ManyOptions {
  containers: number;
  seconds: number;
  say: (m: string) => void;
}

/** Deploys `count` apps, AT_ONCE at a time; their ids. */
export async function deployMany(n: PanelNode, count: number, say: (m: string) => void) {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      ids.push(await deployed(n, `many-${i}`, 250));
      if (ids.length % 50 === 0) say(`${ids.length}/${count} apps running`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, count) }, worker));
  return ids;
}

/** The panel's own CPU seconds and resident memory (its /metrics). */
async function panelReading(n: PanelNode) {
  const text = await (
    await fetch(`${n.panel.url.replace("localhost", "127.0.0.1")}/metrics`)
  ).text();
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);
  return {
    cpuSeconds: gauge("steward_process_cpu_seconds_total"),
    rssMb: gauge("steward_process_resident_memory_bytes") / 1024 / 1024,
  };
}

/** Live log streams of the first apps, open until `signal` aborts; the events each received. */
function openStreams(n: PanelNode, ids: string[], signal: AbortSignal) {
  return ids.slice(0, STREAMS).map(async (id) => {
    const res = await fetch(
      `${n.panel.url.replace("localhost", "127.0.0.1")}/api/v1/apps/${id}/logs`,
      {
        headers: { authorization: `Bearer ${n.key}` },
        signal,
      },
    );
    if (!res.ok || !res.body) throw new Error(`logs of ${id}: ${res.status}`);
    let events = 0;
    try {
      for await (const chunk of res.body)
        events += (
          Buffer.from(chunk)
            .toString()
            .match(/^event: /gm) ?? []
        ).length;
    } catch (err) {
      if (!signal.aborted) throw err;
    }
    return events;
  });
}

export async function measureMany(
  n: PanelNode,
  ids: string[],
  o: ManyOptions,
): Promise<(EndpointRow | ProcessRow)[]> {
  const pages: [string, () => string][] = [
    ["GET /api/v1/apps", () => `/api/v1/apps?account=${n.account}`],
    [
      "GET /api/v1/apps/{id}/stats",
      () => `/api/v1/apps/${ids[Math.floor(Math.random() * ids.length)]}/stats`,
    ],
    ["GET /api/v1/nodes/{id}/containers", () => `/api/v1/nodes/${n.nodeId}/containers`],
    ["GET /api/v1/nodes/{id}/disk-usage", () => `/api/v1/nodes/${n.nodeId}/disk-usage`],
  ];
  const times = new Map<string, number[]>(pages.map(([name]) => [name, []]));
  const streaming = new AbortController();
  const streams = openStreams(n, ids, streaming.signal);
  const agentCpu = cpuSecondsOf(n.agentPid);
  resetPeakRss(n.agentPid);
  const panelFirst = await panelReading(n);
  let panelPeak = panelFirst.rssMb;
  const t0 = performance.now();
  const end = Date.now() + o.seconds * 1000;
  const client = async (c: number) => {
    for (let i = c; Date.now() < end; i++) {
      const [name, path] = pages[i % pages.length] as (typeof pages)[number];
      const start = performance.now();
      await n.call("GET", path());
      times.get(name)?.push(performance.now() - start);
    }
  };
  const sampler = (async () => {
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, 2000));
      panelPeak = Math.max(panelPeak, (await panelReading(n)).rssMb);
    }
  })();
  await Promise.all([...Array.from({ length: CLIENTS }, (_, c) => client(c)), sampler]);
  const wall = (performance.now() - t0) / 1000;
  const agentRow: ProcessRow = {
    system: "steward",
    metric: "agent",
    containers: o.containers,
    rssMb: round(peakRssMbOf(n.agentPid)),
    cpuPercent: round(((cpuSecondsOf(n.agentPid) - agentCpu) / wall) * 100),
    load: loadAverage(),
  };
  const panelLast = await panelReading(n);
  const panelRow: ProcessRow = {
    system: "steward",
    metric: "panel",
    containers: o.containers,
    rssMb: round(Math.max(panelPeak, panelLast.rssMb)),
    cpuPercent: round(((panelLast.cpuSeconds - panelFirst.cpuSeconds) / wall) * 100),
    load: agentRow.load,
  };
  streaming.abort();
  const events = await Promise.all(streams);
  o.say(`log streams: ${events.join(", ")} events over the window`);
  const rows: EndpointRow[] = pages.map(([endpoint]) => {
    const t = times.get(endpoint) ?? [];
    return {
      system: "steward",
      endpoint,
      containers: o.containers,
      requests: t.length,
      ...spread(t),
    };
  });
  return [...rows, agentRow, panelRow];
}
