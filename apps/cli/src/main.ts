// The `steward` command. `steward agent …` runs on every managed server without the panel:
// it loads the agent's code only (agent-main.ts), never the panel's modules, database or
// configuration; everything else is the panel's CLI (panel.ts). Static imports would load
// both graphs, hence the dynamic ones.
import { commandWords } from "./commands/table.ts";
import { endOnClosedPipe } from "./pipe.ts";
import { bundledFrom as source } from "./source.ts";

/**
 * V8 flags for the long-running processes (the panel, the agent): a small young generation
 * and one helper thread keep the idle panel near 140 MB instead of 170 (measured; budget
 * 150 MB).
 */
const longRunningFlags = ["--max-semi-space-size=2", "--v8-pool-size=1"];
/**
 * The panel's besides (docs/configuration.md, "Memory"): its old generation collected at 64 MB
 * the first time, then whenever it has grown 25% past what the last collection kept. V8's
 * own choice let a panel checking 10,000 monitors grow it to 3-4 times its live 70-100 MB
 * (300 MB before the first full collection), and the resident memory kept that peak.
 */
const panelFlags = ["--initial-old-space-size=64", "--heap-growing-percent=25"];

endOnClosedPipe();

const [command] = commandWords(process.argv.slice(2));
const longRunning = command === "serve" || command === "agent";
/** a flag's name: a value given on the command line (`--heap-growing-percent=100`) is kept */
const nameOf = (flag: string) => flag.split("=")[0];
const given = new Set(process.execArgv.map(nameOf));
const flags = [...longRunningFlags, ...(command === "serve" ? panelFlags : [])].filter(
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
