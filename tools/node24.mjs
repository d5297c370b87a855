// Finds the pinned Node.js (see .node-version) and fetches it from the npm registry
// (package node-<platform>-<arch>) into .cache/node when this machine's Node is older.
// Plain JavaScript on purpose: it runs under whatever Node the machine has (20 and up).
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const pinnedVersion = readFileSync(join(repoRoot, ".node-version"), "utf8").trim();
const pinnedMajor = pinnedVersion.split(".")[0];

export function isPinnedMajor(version = process.versions.node) {
  return version.split(".")[0] === pinnedMajor;
}

function cacheDir() {
  return process.env.STEWARD_NODE_CACHE
    ? resolve(process.env.STEWARD_NODE_CACHE)
    : join(repoRoot, ".cache", "node");
}

function fetchNode(target) {
  const pkg = `node-${process.platform}-${process.arch}@${pinnedVersion}`;
  const work = mkdtempSync(join(tmpdir(), "steward-node-"));
  try {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const out = execFileSync(npm, ["pack", pkg, "--silent", "--pack-destination", work], {
      cwd: work,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    const tarball = join(work, out.trim().split("\n").pop());
    execFileSync("tar", ["-xzf", tarball, "-C", work, "package/bin/node"], { stdio: "inherit" });
    mkdirSync(dirname(target), { recursive: true });
    chmodSync(join(work, "package/bin/node"), 0o755);
    renameSync(join(work, "package/bin/node"), target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Absolute path of a Node.js binary of the pinned major version, fetching it if needed. */
export function pinnedNode() {
  if (isPinnedMajor()) return process.execPath;
  const target = join(cacheDir(), pinnedVersion, "bin", "node");
  const fresh = !existsSync(target);
  if (fresh) fetchNode(target);
  process.stderr.write(
    `steward: this machine has Node ${process.version}; using the pinned Node v${pinnedVersion}` +
      ` from ${target}${fresh ? " (just fetched from the npm registry)" : ""}\n`,
  );
  return target;
}

/** Environment whose PATH starts with the pinned Node, so child `node`/`npm` use it. */
export function pinnedEnv(nodePath, extra = {}) {
  const path = `${dirname(nodePath)}:${process.env.PATH ?? ""}`;
  // Node's on-disk compile cache roughly halves the start-up of every steward command.
  const cache = process.env.NODE_COMPILE_CACHE ?? join(repoRoot, ".cache", "compile");
  return { ...process.env, PATH: path, NODE_COMPILE_CACHE: cache, ...extra };
}
