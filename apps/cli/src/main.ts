// The `steward` command. `steward agent …` runs on every managed server without the panel:
// it loads the agent's code only (agent-main.ts), never the panel's modules, database or
// configuration; everything else is the panel's CLI (panel.ts). Static imports would load
// both graphs, hence the dynamic ones.
import { commandWords } from "./commands/table.ts";
import { AGENT_NODE_FLAGS, PANEL_NODE_FLAGS } from "./node-flags.ts";
import { endOnClosedPipe } from "./pipe.ts";
import { bundledFrom as source } from "./source.ts";

endOnClosedPipe();

const [command] = commandWords(process.argv.slice(2));
const longRunning = command === "serve" || command === "agent";
/**
 * a flag's name: a value given on Node's command line (`--heap-growing-percent=100`) or in
 * NODE_OPTIONS (`--max-semi-space-size=16`, bench:api's `--node-flags`) is kept; one of ours
 * on the command line would win over NODE_OPTIONS' own
 */
const nameOf = (flag: string) => flag.split("=")[0];
const fromEnv = (process.env.NODE_OPTIONS ?? "").split(/\s+/).filter((f) => f.startsWith("--"));
const given = new Set([...process.execArgv, ...fromEnv].map(nameOf));
const flags = (command === "serve" ? PANEL_NODE_FLAGS : AGENT_NODE_FLAGS).filter(
  (flag) => !given.has(nameOf(flag)),
);
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
