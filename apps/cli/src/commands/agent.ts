// `steward agent [run] [--dir D]` runs the agent; `steward agent enroll` joins this server to a
// panel. @steward/agent is imported when the command runs, so listing these commands costs
// the panel's CLI nothing.
import { existsSync } from "node:fs";
import { enableCompileCache } from "node:module";
import { join } from "node:path";
import type { Command } from "commander";

const DIR = "/var/lib/steward-agent";

/** enroll's options (a type only: the agent's code still loads when the command runs) */
type EnrollOptions = Parameters<typeof import("@steward/agent")["enroll"]>[0];

export function agentCommands(program: Command, g: () => { json?: boolean } = () => ({})) {
  const agent = program.command("agent"); // described in the command table (table.ts)
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
      if (existsSync(join(o.dir, "agent.json"))) enableCompileCache(join(o.dir, "compile-cache"));
      const { loadConfig, startAgent } = await import("@steward/agent");
      const running = await startAgent(loadConfig(o.dir));
      let stopping = false;
      const stop = () => {
        if (stopping) return;
        stopping = true;
        void running.close().then(() => process.exit(0));
      };
      process.on("SIGTERM", stop);
      process.on("SIGINT", stop);
    });
  agent
    .command("enroll")
    .description("join this server to a panel with an enrollment token")
    .requiredOption("--panel <url>", "the panel's URL, like https://panel.example.com")
    .requiredOption("--token <token>", "the enrollment token the panel showed (single use)")
    .option("--dir <dir>", "the agent's directory", DIR)
    .option("--listen <host:port>", "where the agent listens (default 0.0.0.0:7443)")
    .option("--agent-url <url>", "https://host:port where the panel reaches this agent")
    .option("--force", "enroll again, replacing this directory's identity")
    .action(
      // commander sets only the options given, so these are enroll's own options
      async (o: Omit<EnrollOptions, "fetch">) => {
        const { enroll } = await import("@steward/agent");
        const r = await enroll({ ...o, force: o.force === true });
        if (g().json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        else
          process.stdout.write(
            `enrolled as node ${r.nodeId} (${r.dir}); start it with: steward agent --dir ${r.dir}\n` +
              `it will listen on ${r.listen.host}:${r.listen.port}\n`,
          );
      },
    );
}
