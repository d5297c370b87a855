// `steward agent` and `steward agent enroll`: a program of their own so a managed server
// loads only commander and @steward/agent.
import { Command, CommanderError } from "commander";
import { agentCommands } from "./commands/agent.ts";
import { commandTable } from "./commands/table.ts";
import { fail } from "./io.ts";

const program = new Command("steward")
  .description("Steward's agent: runs on every managed server")
  .option("--json", "machine-readable output")
  .option("--data <dir>", "ignored by the agent (it uses --dir)")
  .showHelpAfterError()
  .exitOverride();
const g = () => program.opts<{ json?: boolean }>();
agentCommands(program, g);
program.commands[0]?.description(commandTable.agent?.description ?? "");

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
  const name = (e as Error).name;
  if (name === "ConfigError" || name === "UsageError") fail(g(), (e as Error).message, 2, "USAGE");
  if (name === "EnrollError") fail(g(), (e as Error).message, 1, "ENROLL_FAILED");
  fail(g(), `unexpected error: ${(e as Error).message}`, 1, "INTERNAL");
}
