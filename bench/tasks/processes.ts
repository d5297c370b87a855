// The worker processes of `--processes N`: each a Steward engine of its own (worker-child.ts)
// on the system's database, started and stopped together; their handler starts come back
// over IPC as epoch ms, turned into this process's performance.now() time.
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { Settings } from "./harness.ts";

const child = fileURLToPath(new URL("./worker-child.ts", import.meta.url));
const STOP_DEADLINE_MS = 30_000;

/** Settles when `proc` sends `message`. */
const told = (proc: ChildProcess, message: string) =>
  new Promise<void>((resolve, reject) => {
    const onMessage = (m: unknown) => {
      if (m !== message) return;
      proc.off("message", onMessage);
      resolve();
    };
    proc.on("message", onMessage);
    proc.once("exit", (code) => reject(new Error(`a worker process exited (${code})`)));
  });

export async function workerProcesses(
  count: number,
  url: string,
  s: Settings,
  started: (taskId: string, at: number) => void,
) {
  const procs = Array.from({ length: count }, () =>
    fork(child, [url, String(s.concurrency), String(s.pollMs)], {
      execArgv: process.execArgv,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    }),
  );
  for (const proc of procs)
    proc.on("message", (m: unknown) => {
      const starts = (m as { starts?: [string, number][] }).starts;
      for (const [taskId, at] of starts ?? []) started(taskId, at - performance.timeOrigin);
    });
  await Promise.all(procs.map((proc) => told(proc, "ready")));
  return {
    async start() {
      const all = procs.map((proc) => told(proc, "started"));
      for (const proc of procs) proc.send("start");
      await Promise.all(all);
    },
    async stop() {
      const exits = procs.map((proc) => (proc.exitCode === null ? once(proc, "exit") : null));
      for (const proc of procs) if (proc.connected) proc.send("stop");
      const deadline = setTimeout(() => {
        for (const proc of procs) proc.kill("SIGKILL");
      }, STOP_DEADLINE_MS);
      await Promise.all(exits);
      clearTimeout(deadline);
    },
  };
}
