// The `steward` command's panel side: serve and the admin commands, on the panel's database.
import { AppError, ConfigError, StartupError } from "@steward/server";
import { Command, CommanderError } from "commander";
import { agentCommands } from "./commands/agent.ts";
import { apiKeyCommands, auditCommands, configCommands, serveCommand } from "./commands/misc.ts";
import { nodeCommands } from "./commands/node.ts";
import { siteCommands } from "./commands/site.ts";
import { taskCommands } from "./commands/tasks.ts";
import { accountCommands, grantCommands, groupCommands } from "./commands/tenancy.ts";
import { userCommands } from "./commands/users.ts";
import { type GlobalOptions, UsageError } from "./context.ts";
import { fail } from "./io.ts";

const program = new Command("steward")
  .description("Steward: a control panel for servers and what runs on them")
  .option("--json", "machine-readable output")
  .option("--data <dir>", "data directory (STEWARD_DATA_DIR, default ./data)")
  .showHelpAfterError()
  .exitOverride();
const g = () => program.opts<GlobalOptions>();

serveCommand(program, g);
userCommands(program, g);
accountCommands(program, g);
groupCommands(program, g);
grantCommands(program, g);
apiKeyCommands(program, g);
configCommands(program, g);
auditCommands(program, g);
taskCommands(program, g);
nodeCommands(program, g);
siteCommands(program, g);
agentCommands(program); // listed in the help; main.ts runs `steward agent` without this file

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exit(e.exitCode === 0 ? 0 : 2);
  }
  if (e instanceof AppError) fail(g(), e.message, 1, e.code);
  if (e instanceof UsageError || e instanceof ConfigError) fail(g(), e.message, 2, "USAGE");
  if (e instanceof StartupError) fail(g(), e.message, 1, "CANNOT_START");
  fail(g(), `unexpected error: ${(e as Error).message}`, 1, "INTERNAL");
}
