// What every system under test provides, and the two measured phases: a backlog drained
// at a fixed concurrency (throughput), then tasks enqueued one at a time to idle workers
// (enqueue-to-start latency). Timings are taken in this process with performance.now().
import { performance } from "node:perf_hooks";

/** Handlers call `started` first thing, with the task's sequence number (and when it started). */
export interface Probe {
  started(seq: number, at?: number): void;
}

export interface SystemUnderTest {
  /** adds `count` tasks with payloads firstSeq.. in bulk, workers not running yet */
  enqueueMany(firstSeq: number, count: number): Promise<void>;
  startWorkers(): Promise<void>;
  enqueueOne(seq: number): Promise<void>;
  /** tasks not finished yet (queued, running, or finished but not recorded) */
  pending(): Promise<number>;
  stop(): Promise<void>;
}

export interface Settings {
  concurrency: number;
  pollMs: number;
  tasks: number;
  /** processed first on a database of their own, not measured */
  warmupTasks: number;
  latencyTasks: number;
  latencySpacingMs: number;
}

export interface System {
  name: string;
  open(probe: Probe, settings: Settings): Promise<SystemUnderTest>;
}

export interface Result {
  system: string;
  tasksPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Start times by sequence number, and a wait for a number of them. */
export class Recorder implements Probe {
  readonly starts = new Map<number, number>();
  private want = Number.POSITIVE_INFINITY;
  private done: (() => void) | null = null;
  started(seq: number, at = performance.now()) {
    if (!this.starts.has(seq)) this.starts.set(seq, at);
    if (this.starts.size >= this.want) this.done?.();
  }
  async waitFor(count: number, timeoutMs: number, what: string) {
    if (this.starts.size >= count) return;
    this.want = count;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        new Promise<void>((r) => {
          this.done = r;
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            reject(
              new Error(`${what}: ${this.starts.size} of ${count} started in ${timeoutMs} ms`),
            );
          }, timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
      this.done = null;
      this.want = Number.POSITIVE_INFINITY;
    }
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

const LATENCY_BASE = 1_000_000_000; // latency-phase sequence numbers, apart from the backlog's

/**
 * Runs both phases against one system, after a smaller throughput run on a database of its
 * own: the systems run one after the other in this process, and without it the first would
 * be measured while V8 is still compiling the code they share (pg, the pool).
 */
export async function measure(system: System, s: Settings, say: (m: string) => void) {
  if (s.warmupTasks > 0) {
    const probe = new Recorder();
    const sut = await system.open(probe, s);
    try {
      say(`${system.name}: warming up with ${s.warmupTasks} tasks`);
      await drain(system.name, sut, probe, s.warmupTasks, say);
    } finally {
      await sut.stop();
    }
  }
  const probe = new Recorder();
  const sut = await system.open(probe, s);
  try {
    const tasksPerSecond = await drain(system.name, sut, probe, s.tasks, say);
    say(`${system.name}: ${Math.round(tasksPerSecond)} tasks/s; measuring latency`);
    const latencies = await latency(system.name, sut, probe, s);
    return {
      system: system.name,
      tasksPerSecond: Math.round(tasksPerSecond),
      p50Ms: round2(percentile(latencies, 50)),
      p99Ms: round2(percentile(latencies, 99)),
    } satisfies Result;
  } finally {
    await sut.stop();
  }
}

/**
 * Enqueues `count` tasks, starts the workers; tasks per second from first start to last
 * outcome. `enqueued` runs between the two (anatomy.ts reads its counters there).
 */
export async function drain(
  name: string,
  sut: SystemUnderTest,
  probe: Recorder,
  count: number,
  say: (m: string) => void,
  enqueued?: () => Promise<void>,
) {
  say(`${name}: enqueueing ${count} tasks`);
  const t0 = performance.now();
  await sut.enqueueMany(0, count);
  say(`${name}: enqueued in ${Math.round(performance.now() - t0)} ms; processing`);
  await enqueued?.();
  await sut.startWorkers();
  await probe.waitFor(count, 600_000, `${name} backlog`);
  // the last handler has started; the run ends when the system has recorded every outcome
  const deadline = performance.now() + 60_000;
  while ((await sut.pending()) > 0) {
    if (performance.now() > deadline) throw new Error(`${name}: tasks left unfinished`);
    await sleep(2);
  }
  const end = performance.now();
  const first = [...probe.starts.values()].reduce((a, b) => Math.min(a, b), Infinity);
  return count / ((end - first) / 1000);
}

/** Enqueue-to-start latencies (ms, sorted) of tasks enqueued one at a time to idle workers. */
async function latency(name: string, sut: SystemUnderTest, probe: Recorder, s: Settings) {
  const enqueuedAt = new Map<number, number>();
  const origin = performance.now();
  for (let i = 0; i < s.latencyTasks; i++) {
    const seq = LATENCY_BASE + i;
    // a fixed cadence: each enqueue is due at origin + i * spacing
    const wait = origin + i * s.latencySpacingMs - performance.now();
    if (wait > 0) await sleep(wait);
    enqueuedAt.set(seq, performance.now());
    await sut.enqueueOne(seq);
  }
  await probe.waitFor(s.tasks + s.latencyTasks, 60_000, `${name} latency`);
  return [...enqueuedAt]
    .map(([seq, at]) => (probe.starts.get(seq) ?? Number.NaN) - at)
    .sort((a, b) => a - b);
}

const round2 = (n: number) => Math.round(n * 100) / 100;
