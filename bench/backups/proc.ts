// Processes of the backup bench: argv pipelines (no shell: each process spawned with its
// argv, one's stdout handed to the next as its stdin), the peak RSS of a process read from
// /proc (VmHWM, the kernel's own high-water mark, polled every 50 ms until the process exits),
// and the files created under a directory while a system runs (fs.watch, recursive).
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { type FSWatcher, openSync, readFileSync, watch } from "node:fs";
import { join } from "node:path";

/** the process's peak resident memory so far, in MB (0 once it is gone) */
export function peakRssMbOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  peakRssMb: number;
}

/**
 * Waits for `child` to exit, polling its VmHWM meanwhile; its stderr kept, and its stdout
 * unless that is the next stage's stdin (`readStdout` false).
 */
export function finished(child: ChildProcess, readStdout = true): Promise<Finished> {
  let peak = 0;
  let stdout = "";
  let stderr = "";
  if (readStdout)
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const poll = setInterval(() => {
    if (child.pid) peak = Math.max(peak, peakRssMbOf(child.pid));
  }, 50);
  return new Promise((resolve, reject) => {
    child.on("error", (error) => {
      clearInterval(poll);
      reject(error);
    });
    child.on("close", (code) => {
      clearInterval(poll);
      resolve({ code, stdout, stderr, peakRssMb: peak });
    });
  });
}

export interface Stage {
  file: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs `stages` as one pipeline: each stage's stdout is the next one's stdin; the first reads
 * `input` (a path) or nothing, the last writes into `output` (a path, /dev/null by default).
 * Resolves with every stage's outcome; fails naming the first stage that exited non-zero.
 */
export async function runPipeline(
  stages: Stage[],
  o: { cwd: string; input?: string; output?: string },
): Promise<Finished[]> {
  const children: ChildProcess[] = [];
  const out = openSync(o.output ?? "/dev/null", "w");
  stages.forEach((stage, i) => {
    const previous = children[i - 1]?.stdout;
    const stdin = previous ?? (o.input ? openSync(o.input, "r") : "ignore");
    const options: SpawnOptions = {
      cwd: o.cwd,
      env: { ...process.env, ...stage.env },
      stdio: [stdin, i === stages.length - 1 ? out : "pipe", "pipe"],
    };
    children.push(spawn(stage.file, stage.args, options));
    // the next stage has the pipe now: this process lets go of its end
    previous?.destroy();
  });
  const results = await Promise.all(
    children.map((child, i) => finished(child, i === children.length - 1)),
  );
  results.forEach((r, i) => {
    if (r.code !== 0)
      throw new Error(`${stages[i]?.file} exited ${r.code}: ${r.stderr.trim().slice(-500)}`);
  });
  return results;
}

/** Names created under `dirs` (recursively) from now until `stop()`; `stop` answers them. */
export function watchCreated(dirs: string[]): { stop(): string[] } {
  const seen = new Set<string>();
  const watchers: FSWatcher[] = dirs.map((dir) =>
    watch(dir, { recursive: true }, (event, name) => {
      // a created file is a "rename" event; one deleted at once is still counted
      if (event === "rename" && name) seen.add(join(dir, name));
    }),
  );
  return {
    stop() {
      for (const w of watchers) w.close();
      return [...seen];
    },
  };
}
