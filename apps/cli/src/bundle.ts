// `node apps/cli/src/bundle.ts [outDir]`: the prebuilt bundle of the `steward` command that
// apps/cli/bin/steward runs (tools/run.mjs prepare builds it into .cache/cli when the sources
// are newer). Node resolves, reads and compiles ~540 files for `steward user list` from the
// sources: most of its start-up (bench/README.md, "CLI start-up"). The bundle has the same
// modules in a few dozen chunks (rolldown, the bundler vite uses): a command still loads only
// the chunks of what it uses. Long-running commands (serve, agent) run from the sources: the
// bundle's main.ts hands them over (stewardCliSource below), so their files are found where
// they are (the console's build, the agent's scripts).
import { renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "rolldown";

const source = resolve(import.meta.dirname, "main.ts");
const outDir = resolve(process.argv[2] ?? join(import.meta.dirname, "../../../.cache/cli"));
// built beside, then moved in place: a command starting meanwhile finds the old or the new one
const building = `${outDir}.${process.pid}`;
await build({
  input: source,
  platform: "node",
  logLevel: "warn",
  // the CMS visual check's browser driver (8 MB, direct evals): loaded from node_modules by the
  // panel when a check runs, never by a command
  external: ["playwright-core"],
  output: {
    dir: building,
    format: "esm",
    banner: `globalThis.stewardCliSource = ${JSON.stringify(source)};`,
  },
});
rmSync(outDir, { recursive: true, force: true });
try {
  renameSync(building, outDir);
} catch {
  rmSync(building, { recursive: true, force: true }); // another build put its own in place
}
