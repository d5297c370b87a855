// Entry point of the npm scripts: makes sure the pinned Node and the dependencies are
// there, then runs the command under the pinned Node.
//   node tools/run.mjs test [args]     install, build the CLI and the console if needed, run every test (vitest)
//   node tools/run.mjs build-web       build the web console now
//   node tools/run.mjs build-cli       build the CLI's bundle (.cache/cli) now
//   node tools/run.mjs build-release   the release tarball (dist/), the console built first
//   node tools/run.mjs exec BIN [args] a tool from node_modules/.bin
//   node tools/run.mjs node FILE [args] a script (.ts or .js) under the pinned Node
//   node tools/run.mjs prepare [steward args]  install if needed, build the CLI's bundle
//                                      (and the console for `serve`) when out of date, then
//                                      print the pinned Node's path: what apps/cli/bin/steward
//                                      (`npx steward`, `npm start`) execs
// Children's output goes to stderr: stdout is prepare's answer.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { pinnedEnv, pinnedNode, repoRoot } from "./node24.mjs";

const [command, ...args] = process.argv.slice(2);
const node = pinnedNode();
const env = pinnedEnv(node);

/** Runs a step to its end with its output on stderr (stdout is prepare's answer). */
const step = (file, argv, cwd = repoRoot) =>
  execFileSync(file, argv, { cwd, env, stdio: ["inherit", 2, "inherit"] });

function installIfNeeded() {
  const lock = join(repoRoot, "package-lock.json");
  const marker = join(repoRoot, "node_modules", ".package-lock.json");
  const stale =
    !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
  if (!stale) return;
  process.stderr.write("steward: installing dependencies (npm install)\n");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  // Not `npm ci`: it refuses a lock file without the optional packages of other platforms
  // (Biome's), which a registry mirror may not carry. `npm install` follows the lock file.
  step(npm, ["install", "--no-audit", "--no-fund"]);
}

/** The last change under a file or directory (mtime). */
function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

/** Whether `built` exists and is newer than every source (paths under dir; some may not exist). */
function upToDate(dir, built, sources) {
  const file = join(dir, built);
  const paths = sources.map((f) => join(dir, f)).filter(existsSync);
  return existsSync(file) && Math.max(...paths.map(newest)) <= statSync(file).mtimeMs;
}

/** Builds the web console (apps/web/dist) when it is missing or older than its sources. */
function buildWebIfNeeded() {
  if (process.env.STEWARD_SKIP_WEB_BUILD === "1") return;
  const web = join(repoRoot, "apps/web");
  const sources = ["src", "public", "index.html", "vite.config.ts", "package.json"];
  if (upToDate(web, "dist/index.html", sources)) return;
  process.stderr.write("steward: building the web console (vite build)\n");
  step(node, [bin("vite"), "build", "--logLevel", "warn"], web);
}

/**
 * Runs the command in place of this process where Node can (process.execve, Node 23.11 and
 * up: nothing stays resident), else as a child whose exit code becomes ours.
 */
function run(file, argv) {
  if (process.execve) process.execve(file, [file, ...argv], env);
  const child = spawn(file, argv, { cwd: process.cwd(), env, stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => child.kill(signal));
  }
  child.on("exit", (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}

const bin = (name) => join(repoRoot, "node_modules", ".bin", name);

const cliBundle = join(repoRoot, ".cache/cli");
const buildCli = () => step(node, [join(repoRoot, "apps/cli/src/bundle.ts"), cliBundle]);

/**
 * Builds the CLI's bundle (apps/cli/src/bundle.ts) when it is older than the sources of the
 * CLI, the server and the packages; without one (a failed build) bin/steward runs the sources.
 */
function buildCliIfNeeded() {
  const packages = readdirSync(join(repoRoot, "packages")).map((p) => `packages/${p}/src`);
  const sources = ["apps/cli", "apps/server/src", ...packages, "package-lock.json"];
  if (upToDate(repoRoot, ".cache/cli/main.js", sources)) return;
  process.stderr.write("steward: building the CLI (apps/cli/src/bundle.ts)\n");
  try {
    buildCli();
  } catch {
    process.stderr.write("steward: the CLI's bundle did not build; running its sources\n");
    rmSync(cliBundle, { recursive: true, force: true });
  }
}

switch (command) {
  case "prepare":
    installIfNeeded();
    buildCliIfNeeded();
    if (args[0] === "serve") buildWebIfNeeded();
    process.stdout.write(`${node}\n`);
    break;
  case "test":
    installIfNeeded();
    // the tests run bin/steward (the bundle) side by side: built once here, not by each of them
    buildCliIfNeeded();
    buildWebIfNeeded();
    // the CLI's tests run that bundle too (apps/cli/src/testing/cli.ts), half the CPU of
    // starting each command from the sources: a copy of it, which a test running
    // bin/steward (and so `prepare`) cannot rebuild under the others' feet
    if (existsSync(join(cliBundle, "main.js"))) {
      const copy = join(repoRoot, ".cache/cli-test");
      rmSync(copy, { recursive: true, force: true });
      cpSync(cliBundle, copy, { recursive: true });
      env.STEWARD_TEST_CLI = join(copy, "main.js");
    }
    run(node, [join(repoRoot, "node_modules/vitest/vitest.mjs"), "run", ...args]);
    break;
  case "exec": {
    installIfNeeded();
    const [name, ...rest] = args;
    run(bin(name), rest);
    break;
  }
  case "node":
    installIfNeeded();
    run(node, args);
    break;
  case "build-web":
    installIfNeeded();
    execFileSync(node, [bin("vite"), "build"], {
      cwd: join(repoRoot, "apps/web"),
      env,
      stdio: "inherit",
    });
    break;
  case "build-cli":
    installIfNeeded();
    buildCli();
    break;
  case "build-release":
    // the release carries the console built (apps/cli/src/build-release.ts)
    installIfNeeded();
    buildWebIfNeeded();
    run(node, [join(repoRoot, "apps/cli/src/build-release.ts"), ...args]);
    break;
  default:
    process.stderr.write(
      "usage: node tools/run.mjs test|build-web|build-cli|build-release|exec|node|prepare ...\n",
    );
    process.exitCode = 2;
}
