// `steward agent` and `steward agent enroll`: a program of their own so a managed server
// loads only commander and @steward/agent.
import { Command } from "commander";
import { agentCommands, runAgentProgram } from "./commands/agent.ts";
import { commandTable } from "./commands/table.ts";

const program = new Command("steward")
  .description("Steward's agent: runs on every managed server")
  .option("--json", "machine-readable output")
  .option("--data <dir>", "ignored by the agent (it uses --dir)")
  .showHelpAfterError()
  .exitOverride();
const g = () => program.opts<{ json?: boolean }>();
agentCommands(program, g);
program.commands[0]?.description(commandTable.agent?.description ?? "");

await runAgentProgram(program, g);
