// The `steward` command. `steward agent …` runs on every managed server without the panel:
// it loads the agent's code only (agent-main.ts), never the panel's modules, database or
// configuration; everything else is the panel's CLI (panel.ts). Static imports would load
// both graphs, hence the dynamic ones.
import { commandWords } from "./commands/table.ts";
import { endOnClosedPipe } from "./pipe.ts";
import { bundledFrom as source } from "./source.ts";

/**
 * V8 flags for the long-running processes: one V8 helper thread, and for the agent a small
 * young generation (2 MB semi-spaces; its idle budget is 60 MB).
 */
const agentFlags = ["--max-semi-space-size=2", "--v8-pool-size=1"];
/**
 * The panel's (docs/configuration.md, "Memory"): 8 MB semi-spaces, so what 50 list requests
 * in flight hold dies young instead of being promoted (a quarter less CPU an answer than 2 MB
 * in bench:api, for 5-15 MB more resident); its old generation collected at 64 MB the first
 * time, then whenever it has grown 25% past what the last collection kept. V8's own choice let
 * a panel checking 10,000 monitors grow it to 3-4 times its live 70-100 MB (300 MB before the
 * first full collection), and the resident memory kept that peak.
 */
const panelFlags = [
  "--max-semi-space-size=8",
  "--v8-pool-size=1",
  "--initial-old-space-size=64",
  "--heap-growing-percent=25",
];

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
const flags = (command === "serve" ? panelFlags : agentFlags).filter(
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
