// Where the serve process spent its CPU: a V8 .cpuprofile (node --cpu-prof) summed by
// function (self time) and by package or source directory, the top ones as text.
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * The serve process's own /metrics: the CPU seconds it has used so far, and the longest its
 * event loop was held up since the last read of /metrics (monitorEventLoopDelay, reset by
 * each read), in ms.
 */
export async function panelReading(url: string) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const gauge = (name: string) => {
    const m = new RegExp(`^steward_${name} (\\S+)$`, "m").exec(text);
    if (!m?.[1]) throw new Error(`no steward_${name} in /metrics`);
    return Number(m[1]);
  };
  return {
    cpuSeconds: gauge("process_cpu_seconds_total"),
    loopDelayMaxMs: gauge("nodejs_eventloop_lag_max_seconds") * 1000,
  };
}

/** CPU seconds the serve process has used so far (its own /metrics). */
export async function cpuSeconds(url: string): Promise<number> {
  return (await panelReading(url)).cpuSeconds;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
}

/** node_modules/<pkg>, apps/<app>/src/<dir>, node:<module>, or what V8 calls it. */
function placeOf(url: string, fn: string): string {
  if (!url) return `(${fn || "native"})`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] ?? url;
  const src = /(apps|packages)\/([^/]+)\/src\/([^/]+)/.exec(url);
  if (src) return `${src[1]}/${src[2]}/${src[3]}`;
  if (url.startsWith("node:")) return url;
  return url.split("/").slice(-2).join("/");
}

export function summarize(file: string, top: number): string {
  const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const total = p.nodes.reduce((n, x) => n + (x.hitCount ?? 0), 0) || 1;
  const byFn = new Map<string, number>();
  const byPlace = new Map<string, number>();
  for (const n of p.nodes) {
    const hits = n.hitCount ?? 0;
    if (!hits) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    const fn = `${functionName || "(anonymous)"} ${url ? `${placeOf(url, functionName)}:${lineNumber + 1}` : ""}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + hits);
    const place = placeOf(url, functionName);
    byPlace.set(place, (byPlace.get(place) ?? 0) + hits);
  }
  const seconds = (p.endTime - p.startTime) / 1e6;
  const pct = (h: number) => `${((100 * h) / total).toFixed(1).padStart(5)}%`;
  const list = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, h]) => `  ${pct(h)}  ${k}`);
  return [
    `${seconds.toFixed(1)} s profiled; self time by function:`,
    ...list(byFn),
    "self time by package or source directory:",
    ...list(byPlace),
  ].join("\n");
}

/**
 * A serve process profiled into `root`/`name` (none without a root): its V8 flags, and after
 * it exited (SIGTERM: a graceful exit writes the profile) the summary of its newest profile.
 */
export function profiling(root: string | undefined, name: string) {
  const dir = root ? resolve(root, name) : null;
  if (dir) mkdirSync(dir, { recursive: true });
  return {
    flags: dir ? `--cpu-prof --cpu-prof-dir=${dir}` : "",
    summary(top: number): string | null {
      if (!dir) return null;
      const newest = readdirSync(dir)
        .filter((f) => f.endsWith(".cpuprofile"))
        .map((f) => join(dir, f))
        .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
      return newest ? `${name}: profile ${newest}\n${summarize(newest, top)}` : null;
    },
  };
}

if (import.meta.main) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: profile.ts FILE.cpuprofile [TOP]");
  process.stdout.write(`${summarize(file, Number(process.argv[3] ?? 25))}\n`);
}
