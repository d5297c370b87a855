// `steward-agent`: the agent as one file (`npm run build:agent` bundles this entry and makes a
// Node single executable application of it, docs/install.md). The same commands as `steward
// agent` (commands/agent.ts), at the top level: `steward-agent [run] --dir D`, `steward-agent
// enroll …`, `steward-agent --version`. CommonJS without top-level await: Node 24's single
// executables run a CommonJS main script.
import { Command } from "commander";
import { agentSubcommands, runAgentProgram } from "./commands/agent.ts";

async function main() {
  const { AGENT_VERSION, runAskpassHelper } = await import("@steward/agent");
  // ssh runs the SFTP password helper through this file as its interpreter (#!steward-agent
  // askpass): ops/backups/sftp-askpass.ts
  if (process.argv[2] === "askpass") return runAskpassHelper(process.argv.slice(3));
  const program = new Command("steward-agent")
    .description("Steward's agent: runs on every managed server (docs/agent.md)")
    .version(AGENT_VERSION)
    .option("--json", "machine-readable output")
    .showHelpAfterError()
    .exitOverride();
  const g = () => program.opts<{ json?: boolean }>();
  agentSubcommands(program, g, "steward-agent");
  await runAgentProgram(program, g);
}

void main();
