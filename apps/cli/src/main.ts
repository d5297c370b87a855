// The `steward` command. `steward agent …` runs on every managed server without the panel:
// it loads the agent's code only (agent-main.ts), never the panel's modules, database or
// configuration; everything else is the panel's CLI (panel.ts). Static imports would load
// both graphs, hence the dynamic ones.
const args = process.argv.slice(2);
let command: string | undefined;
for (let i = 0; i < args.length; i++) {
  const a = args[i] as string;
  if (a === "--data")
    i++; // the global option's value
  else if (!a.startsWith("-")) {
    command = a;
    break;
  }
}
if (command === "agent") await import("./agent-main.ts");
else await import("./panel.ts");
