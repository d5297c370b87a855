// The `steward` command. `steward agent …` runs on every managed server without the panel:
// it loads the agent's code only (agent-main.ts), never the panel's modules, database or
// configuration; everything else is the panel's CLI (panel.ts). Static imports would load
// both graphs, hence the dynamic ones.
import { enableCompileCache } from "node:module";
import { fileURLToPath } from "node:url";
import { commandWords } from "./commands/table.ts";

const [command] = commandWords(process.argv.slice(2));
if (command === "agent") await import("./agent-main.ts");
else {
  // Node's on-disk compile cache (the directory tools/node24.mjs gives the npm scripts, unless
  // NODE_COMPILE_CACHE chose one): later runs skip type-stripping and compiling the modules
  // they load. The agent keeps its own, in its directory (commands/agent.ts).
  enableCompileCache(fileURLToPath(new URL("../../../.cache/compile", import.meta.url)));
  await import("./panel.ts");
}
