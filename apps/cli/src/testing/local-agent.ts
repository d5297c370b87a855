// A real `steward serve` with its local agent, for the tests of the local node: its output
// (stdout and stderr, in order) kept for assertions, every child killed after the file.
import { type ChildProcess, spawn } from "node:child_process";
import { baseEnv, cliMain } from "./cli.ts";

export const running: ChildProcess[] = [];

/** Kills what a test file started and is still running. */
export function killRunning() {
  for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
}

export function serveWithLocalAgent(
  dataDir: string,
  port: number,
  agentPort: number,
  env: Record<string, string> = {},
) {
  const child = spawn(process.execPath, [cliMain, "serve", "--port", String(port)], {
    cwd: dataDir,
    env: baseEnv({
      STEWARD_DATA_DIR: dataDir,
      STEWARD_LOCAL_AGENT: "1",
      STEWARD_LOCAL_AGENT_PORT: String(agentPort),
      STEWARD_LOG_LEVEL: "warn",
      ...env,
    }),
  });
  running.push(child);
  let out = "";
  for (const stream of [child.stdout, child.stderr])
    stream.setEncoding("utf8").on("data", (d: string) => {
      out += d;
    });
  return { child, out: () => out };
}

/** Polls `f` until it gives a value (errors count as not yet), or fails after `ms`. */
export async function until<T>(
  what: string,
  f: () => T | undefined | Promise<T | undefined>,
  ms = 90_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await Promise.resolve()
      .then(f)
      .catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
