// Entry point of the npm scripts: makes sure the pinned Node and the dependencies are
// there, then runs the command under the pinned Node.
//   node tools/run.mjs test [args]     install and build the console if needed, run every test (vitest)
//   node tools/run.mjs build-web       build the web console now
//   node tools/run.mjs exec BIN [args] a tool from node_modules/.bin
//   node tools/run.mjs node FILE [args] a script (.ts or .js) under the pinned Node
//   node tools/run.mjs prepare [steward args]  install if needed (and build the console for
//                                      `serve`), then print the pinned Node's path: what
//                                      apps/cli/bin/steward (`npx steward`, `npm start`) execs
// Children's output goes to stderr: stdout is prepare's answer.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { pinnedEnv, pinnedNode, repoRoot } from "./node24.mjs";

const [command, ...args] = process.argv.slice(2);
const node = pinnedNode();
const env = pinnedEnv(node);

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
  execFileSync(npm, ["install", "--no-audit", "--no-fund"], {
    cwd: repoRoot,
    env,
    stdio: ["inherit", 2, "inherit"],
  });
}

/** Builds the web console (apps/web/dist) when it is missing or older than its sources. */
function buildWebIfNeeded() {
  if (process.env.STEWARD_SKIP_WEB_BUILD === "1") return;
  const web = join(repoRoot, "apps/web");
  const built = join(web, "dist/index.html");
  const newest = (path) => {
    const s = statSync(path);
    if (!s.isDirectory()) return s.mtimeMs;
    let max = s.mtimeMs;
    for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
    return max;
  };
  const sources = ["src", "public", "index.html", "vite.config.ts", "package.json"].map((f) =>
    join(web, f),
  );
  const stale =
    !existsSync(built) ||
    Math.max(...sources.filter(existsSync).map(newest)) > statSync(built).mtimeMs;
  if (!stale) return;
  process.stderr.write("steward: building the web console (vite build)\n");
  execFileSync(node, [bin("vite"), "build", "--logLevel", "warn"], {
    cwd: web,
    env,
    stdio: ["inherit", 2, "inherit"],
  });
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

switch (command) {
  case "prepare":
    installIfNeeded();
    if (args[0] === "serve") buildWebIfNeeded();
    process.stdout.write(`${node}\n`);
    break;
  case "test":
    installIfNeeded();
    buildWebIfNeeded();
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
  default:
    process.stderr.write("usage: node tools/run.mjs test|build-web|exec|node|prepare ...\n");
    process.exitCode = 2;
}
