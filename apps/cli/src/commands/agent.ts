// `steward agent [run] [--dir D]` runs the agent; `steward agent enroll` joins this server to a
// panel. @steward/agent is imported when the command runs, so listing these commands costs
// the panel's CLI nothing.
import { existsSync } from "node:fs";
import { enableCompileCache } from "node:module";
import { join } from "node:path";
import { isSea } from "node:sea";
import { type Command, CommanderError } from "commander";
import { fail } from "../io.ts";

const DIR = "/var/lib/steward-agent";

/** enroll's options (a type only: the agent's code still loads when the command runs) */
type EnrollOptions = Parameters<typeof import("@steward/agent")["enroll"]>[0];

export function agentCommands(program: Command, g: () => { json?: boolean } = () => ({})) {
  // described in the command table (table.ts)
  agentSubcommands(program.command("agent"), g, "steward agent");
}

/**
 * `run` and `enroll` under `agent`: the `steward agent` command, or the single-file agent's
 * program itself (`steward-agent [run]`, agent-bin.ts); `self` is how the hint names it.
 */
export function agentSubcommands(agent: Command, g: () => { json?: boolean }, self: string) {
  // `run` is the default sub-command, so `steward agent --dir D` runs the agent; each
  // sub-command has its own --dir (a --dir on `agent` itself would swallow enroll's)
  agent
    .command("run", { isDefault: true })
    .description("run the agent (mTLS HTTPS; see docs/agent.md)")
    .option("--dir <dir>", "the agent's directory: agent.json, key, certificates", DIR)
    .action(async (o: { dir: string }) => {
      // Node's compile cache, in the agent's own directory (root's, 0700: never a shared
      // temp dir, whose cache another user could plant): a restart then skips compiling and
      // type-stripping, ~30 MB less resident memory (bench/agent/rss.ts)
      // (the single-file agent compiles nothing from files)
      if (!isSea() && existsSync(join(o.dir, "agent.json")))
        enableCompileCache(join(o.dir, "compile-cache"));
      const { loadConfig, startAgent } = await import("@steward/agent");
      let stopping = false;
      // an upgrade (agent.upgrade, single-file agent only) renamed the new binary over this
      // one: the same process becomes it (same pid for systemd or the installer's runner)
      const onRestart = () => {
        if (stopping) return;
        stopping = true;
        const bin = process.execPath;
        void running
          .close(5000)
          .then(() => process.execve?.(bin, [bin, "run", "--dir", o.dir], process.env));
      };
      const running = await startAgent(loadConfig(o.dir), { onRestart });
      const stop = () => {
        if (stopping) return;
        stopping = true;
        void running.close().then(() => process.exit(0));
      };
      process.on("SIGTERM", stop);
      process.on("SIGINT", stop);
    });
  // what each line of an account's cron.d file runs, as root (docs/hosting.md)
  agent
    .command("cron-exec")
    .description("run one scheduled cron job as its user and keep the result for the panel")
    .argument("<account>", "the job's account id")
    .argument("<job>", "the job's id")
    .option("--dir <dir>", "the agent's directory", DIR)
    .action(async (account: string, job: string, o: { dir: string }) => {
      const { runCronExec } = await import("@steward/agent");
      process.exitCode = await runCronExec({ dir: o.dir, account, job });
    });
  agent
    .command("enroll")
    .description("join this server to a panel with an enrollment token")
    .requiredOption("--panel <url>", "the panel's URL, like https://panel.example.com")
    .requiredOption("--token <token>", "the enrollment token the panel showed (single use)")
    .option("--dir <dir>", "the agent's directory", DIR)
    .option("--listen <host:port>", "where the agent listens (default 0.0.0.0:7443)")
    .option("--agent-url <url>", "https://host:port where the panel reaches this agent")
    .option(
      "--panel-pin <sha256//base64>",
      "a panel with a self-signed certificate: its key's pin, as the console shows it",
    )
    .option("--force", "enroll again, replacing this directory's identity")
    .action(
      // commander sets only the options given, so these are enroll's own options
      async (o: Omit<EnrollOptions, "fetch">) => {
        const { enroll } = await import("@steward/agent");
        const r = await enroll({ ...o, force: o.force === true });
        if (g().json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        else
          process.stdout.write(
            `enrolled as node ${r.nodeId} (${r.dir}); start it with: ${self} --dir ${r.dir}\n` +
              `it will listen on ${r.listen.host}:${r.listen.port}\n`,
          );
      },
    );
}

/** Runs the agent's program: a refusal is one line and an exit code, like the panel's CLI. */
export async function runAgentProgram(program: Command, g: () => { json?: boolean }) {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
    const name = (e as Error).name;
    if (name === "ConfigError" || name === "UsageError")
      fail(g(), (e as Error).message, 2, "USAGE");
    if (name === "EnrollError") fail(g(), (e as Error).message, 1, "ENROLL_FAILED");
    fail(g(), `unexpected error: ${(e as Error).message}`, 1, "INTERNAL");
  }
}
