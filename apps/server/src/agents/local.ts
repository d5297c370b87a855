// The local node: `steward serve` runs an agent for the machine it is on, as a child process
// (its own memory, its own crash), enrolled through the same path as any node — a single-use
// token and `steward agent enroll` — the first time, then just started. Off with
// `--no-local-agent` / STEWARD_LOCAL_AGENT=0. The CLI owns the `steward agent` command, so it
// passes the script that runs it (`entry`); the panel never names the CLI's files.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import { removePidFile, replaceOrphan, writePidFile } from "./orphan.ts";

const parentWatch = fileURLToPath(new URL("./parent-watch.ts", import.meta.url));

/**
 * The variables the child agent inherits from the panel: where programs are, the locale and
 * time zone, the temporary directory and Node's compile cache. Nothing else: the panel's
 * secrets (STEWARD_MASTER_KEY, STEWARD_DATABASE_URL...) never reach the agent, which reads
 * its own configuration from its directory.
 */
const INHERITED = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "NODE_COMPILE_CACHE"];

function agentEnvironment(parent: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NODE_OPTIONS: "" };
  for (const name of INHERITED) if (parent[name] !== undefined) env[name] = parent[name];
  return env;
}

export interface LocalAgentDeps {
  /** the script whose `agent` command runs the agent (the CLI's main.ts) */
  entry: string;
  dataDir: string;
  /** the panel's own address as the agent reaches it (loopback) */
  panelUrl: string;
  port: number;
  log: Logger;
  /** the local node's id, created when missing; and a fresh enrollment token for it when asked */
  ensureNode(agentUrl: string): Promise<{ id: string; enrolled: boolean }>;
  enrollmentToken(nodeId: string): Promise<string>;
}

export interface LocalAgent {
  stop(): Promise<void>;
}

/** How `serve` starts the local agent; given by the CLI (the panel has no agent command). */
export type StartLocalAgent = (deps: Omit<LocalAgentDeps, "entry">) => Promise<LocalAgent>;

/** The child's JSON log lines go into the panel's log as they are, tagged with the process. */
function forward(log: Logger, name: string, line: string, fallback: "info" | "warn") {
  try {
    const { level, time: _time, msg, ...rest } = JSON.parse(line) as Record<string, unknown>;
    const lvl =
      typeof level === "number" && level >= 50
        ? "error"
        : typeof level === "number" && level >= 40
          ? "warn"
          : "info";
    log[lvl]({ process: name, ...rest }, typeof msg === "string" ? msg : "");
  } catch {
    log[fallback]({ process: name }, line);
  }
}

function run(entry: string, args: string[], log: Logger, name: string): ChildProcess {
  // the agent gets the same Node and V8 flags as this process (`serve`'s memory flags), and
  // stops when this process dies: parent-watch.ts waits for the end of its stdin, a pipe
  // this process holds open until it exits
  const argv = [...process.execArgv, "--import", parentWatch, entry, ...args];
  const child = spawn(process.execPath, argv, {
    stdio: ["pipe", "pipe", "pipe"],
    env: agentEnvironment(process.env),
  });
  child.stdin?.on("error", () => {}); // the child may be gone
  if (child.stdout)
    createInterface({ input: child.stdout }).on("line", (l) => l && forward(log, name, l, "info"));
  if (child.stderr)
    createInterface({ input: child.stderr }).on("line", (l) => l && forward(log, name, l, "warn"));
  return child;
}

const exitOf = (child: ChildProcess) =>
  new Promise<number>((r) => child.once("exit", (code) => r(code ?? 1)));

export async function startLocalAgent(deps: LocalAgentDeps): Promise<LocalAgent> {
  const dir = join(deps.dataDir, "agent");
  const agentUrl = `https://127.0.0.1:${deps.port}`;
  // an agent a previous `serve` left running holds the port: stop it before starting ours
  const pidFile = join(deps.dataDir, "local-agent.pid");
  const orphan = await replaceOrphan(pidFile, deps.entry, dir);
  if (orphan)
    deps.log.warn({ pid: orphan }, "stopped the local agent a previous serve left running");
  const node = await deps.ensureNode(agentUrl);
  if (!node.enrolled || !existsSync(join(dir, "agent.json"))) {
    const token = await deps.enrollmentToken(node.id);
    const enroll = run(
      deps.entry,
      [
        "agent",
        "enroll",
        "--panel",
        deps.panelUrl,
        "--token",
        token,
        "--dir",
        dir,
        "--listen",
        `127.0.0.1:${deps.port}`,
        "--agent-url",
        agentUrl,
        "--force",
      ],
      deps.log,
      "local-agent-enroll",
    );
    const code = await exitOf(enroll);
    if (code !== 0) {
      deps.log.error({ code }, "the local agent could not enroll; the local node stays pending");
      return { stop: async () => undefined };
    }
  }
  let stopping = false;
  let child: ChildProcess | null = null;
  let delay = 1000;
  const start = () => {
    const c = run(deps.entry, ["agent", "--dir", dir], deps.log, "local-agent");
    child = c;
    if (c.pid) writePidFile(pidFile, c.pid);
    const began = Date.now();
    c.once("exit", (code, signal) => {
      child = null;
      removePidFile(pidFile);
      if (stopping) return;
      // a crash restarts it, backing off when it keeps crashing
      delay = Date.now() - began > 60_000 ? 1000 : Math.min(delay * 2, 60_000);
      deps.log.warn({ code, signal, restartInMs: delay }, "the local agent stopped; restarting");
      setTimeout(() => !stopping && start(), delay).unref();
    });
  };
  start();
  deps.log.info({ agentUrl, node: node.id }, "local agent started");
  return {
    async stop() {
      stopping = true;
      const c = child as ChildProcess | null;
      if (c && c.exitCode === null) {
        c.kill("SIGTERM");
        await exitOf(c);
      }
    },
  };
}
