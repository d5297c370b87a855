// The `steward` command. `steward agent …` runs on every managed server without the panel:
// it loads the agent's code only (agent-main.ts), never the panel's modules, database or
// configuration; everything else is the panel's CLI (panel.ts). Static imports would load
// both graphs, hence the dynamic ones.
import { commandWords } from "./commands/table.ts";

/**
 * V8 flags for the long-running processes (the panel, the agent): a small young generation
 * and one helper thread keep the idle panel near 140 MB instead of 170 (measured; budget
 * 150 MB).
 */
const serveNodeFlags = ["--max-semi-space-size=2", "--v8-pool-size=1"];

const [command] = commandWords(process.argv.slice(2));
const longRunning = command === "serve" || command === "agent";
if (longRunning && !serveNodeFlags.every((flag) => process.execArgv.includes(flag))) {
  // Node takes them only at start: this process becomes one started with them (same pid,
  // same standard streams), rather than keeping a wrapper around a child
  const node = process.execPath;
  process.execve?.(node, [node, ...process.execArgv, ...serveNodeFlags, ...process.argv.slice(1)]);
}
if (command === "agent") await import("./agent-main.ts");
else await import("./panel.ts");
