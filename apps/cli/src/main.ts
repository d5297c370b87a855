// The `steward` command. `steward agent …` runs on every managed server without the panel:
// it loads the agent's code only (agent-main.ts), never the panel's modules, database or
// configuration; everything else is the panel's CLI (panel.ts). Static imports would load
// both graphs, hence the dynamic ones.
import { commandWords } from "./commands/table.ts";
import { bundledFrom as source } from "./source.ts";

/**
 * V8 flags for the long-running processes (the panel, the agent): a small young generation
 * and one helper thread keep the idle panel near 140 MB instead of 170 (measured; budget
 * 150 MB).
 */
const serveNodeFlags = ["--max-semi-space-size=2", "--v8-pool-size=1"];

const [command] = commandWords(process.argv.slice(2));
const longRunning = command === "serve" || command === "agent";
const flags = serveNodeFlags.filter((flag) => !process.execArgv.includes(flag));
if (longRunning && (flags.length > 0 || source)) {
  // Node takes them only at start: this process becomes one started with them (same pid,
  // same standard streams), rather than keeping a wrapper around a child; from the bundle,
  // one running the sources (the console's build and the agent's scripts are found there)
  const node = process.execPath;
  const [, entry, ...args] = process.argv;
  process.execve?.(node, [node, ...process.execArgv, ...flags, source ?? entry ?? "", ...args]);
}
if (command === "agent") await import("./agent-main.ts");
else await import("./panel.ts");
