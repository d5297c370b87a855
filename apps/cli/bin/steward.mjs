#!/usr/bin/env node
// `steward` from the checkout (npx steward ...): runs under the pinned Node 24, fetching it
// into .cache/node when this machine's Node is older. `serve` and `agent` get their V8 flags.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isPinnedMajor, pinnedEnv, pinnedNode, serveNodeFlags } from "../../../tools/node24.mjs";

const main = join(dirname(fileURLToPath(import.meta.url)), "../src/main.ts");
const args = process.argv.slice(2);
// long-running processes (the panel, the agent) get the memory flags
const flags = args.includes("serve") || args[0] === "agent" ? serveNodeFlags : [];
if (isPinnedMajor() && flags.every((f) => process.execArgv.includes(f))) {
  await import(main);
} else {
  const node = pinnedNode();
  const child = spawn(node, [...flags, main, ...args], { stdio: "inherit", env: pinnedEnv(node) });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"])
    process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}
