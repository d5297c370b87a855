// The `steward` command.
import { AppError, ConfigError } from "@steward/server";
import { Command, CommanderError } from "commander";
import { apiKeyCommands, auditCommands, configCommands, serveCommand } from "./commands/misc.ts";
import { taskCommands } from "./commands/tasks.ts";
import { accountCommands, grantCommands, groupCommands } from "./commands/tenancy.ts";
import { userCommands } from "./commands/users.ts";
import { type GlobalOptions, UsageError } from "./context.ts";

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

// biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** One line, safe for a terminal: messages echo values given on the command line. */
const oneLineOf = (message: string) => {
  const line = message
    .replace(/\s*\n\s*/g, " ")
    .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
};

function fail(message: string, code: number, errorCode?: string): never {
  const oneLine = oneLineOf(message);
  if (g().json)
    process.stderr.write(
      `${JSON.stringify({ error: { code: errorCode ?? "ERROR", message: oneLine } })}\n`,
    );
  else process.stderr.write(`steward: ${oneLine}\n`);
  process.exit(code);
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exit(e.exitCode === 0 ? 0 : 2);
  }
  if (e instanceof AppError) fail(e.message, 1, e.code);
  if (e instanceof UsageError || e instanceof ConfigError) fail(e.message, 2, "USAGE");
  fail(`unexpected error: ${(e as Error).message}`, 1, "INTERNAL");
}
