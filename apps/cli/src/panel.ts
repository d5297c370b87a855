// The `steward` command's panel side: serve and the admin commands, on the panel's database.
// Only commander and the command table load up front; the module of the command that runs
// loads with it (commands/table.ts), and the server's modules with that.
import { Command, CommanderError } from "commander";
import cliPackage from "../package.json" with { type: "json" };
import { addCommands, commandWords } from "./commands/table.ts";
import type { GlobalOptions } from "./context.ts";
import { fail } from "./io.ts";

const program = new Command("steward")
  .description("Steward: a control panel for servers and what runs on them")
  .version(cliPackage.version)
  .option("--json", "machine-readable output")
  .option("--data <dir>", "data directory (STEWARD_DATA_DIR, default ./data)")
  .showHelpAfterError()
  .exitOverride();
const g = () => program.opts<GlobalOptions>();

const [first, second] = commandWords(process.argv.slice(2));
await addCommands(program, g, first === "help" ? second : first);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exit(e.exitCode === 0 ? 0 : 2);
  }
  // a command threw: its module is loaded by now; the server's is unless the input was refused
  const { UsageError } = await import("./context.ts");
  if (e instanceof UsageError) fail(g(), e.message, 2, "USAGE");
  const { AppError, ConfigError, StartupError } = await import("@steward/server/admin");
  if (e instanceof AppError) fail(g(), e.message, 1, e.code);
  if (e instanceof ConfigError) fail(g(), e.message, 2, "USAGE");
  if (e instanceof StartupError) fail(g(), e.message, 1, "CANNOT_START");
  fail(g(), `unexpected error: ${(e as Error).message}`, 1, "INTERNAL");
}
