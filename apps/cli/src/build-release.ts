// `npm run build:release [-- --out DIR]`: the panel's release tarball (docs/install.md),
// dist/steward-<version>-linux-<arch>.tar.gz and its .sha256 ("<hex>  <name>"). One directory,
// steward-<version>/, holding what a server runs and nothing else:
//   package.json                 the release's (no scripts, no development dependencies)
//   apps/{agent,cli,server}/, packages/{contracts,pki,probes}/   sources without tests
//                                (Node 24 runs the TypeScript as the checkout does)
//   apps/web/dist/               the console, built (tools/run.mjs builds it first)
//   node_modules/                the production dependencies of those, copied from this
//                                checkout's (release-tree.ts: read from package-lock.json)
//   dist/agent/<version>/        the single-file agent (build-agent.ts), which the panel serves
//   node/bin/node                the pinned Node 24 (.node-version) this ran under
//   install/, connectors/wordpress/steward-connector/, docs/, CHANGELOG.md, README.md
// `sh install/panel.sh --release FILE` installs it (or panel.sh inside the unpacked tree).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildAgent } from "./build-agent.ts";
import { filesUnder, keepSource, RUNTIME_WORKSPACES, runtimePackages } from "./release-tree.ts";

const repoRoot = resolve(import.meta.dirname, "../../..");

export interface BuiltRelease {
  version: string;
  file: string;
  sha256: string;
  bytes: number;
  /** false: the tarball was newer than everything it holds, and kept */
  built: boolean;
}

/** What a release is made of (its sources, the console's build, the lock file, the units…). */
const INPUTS = [
  ...RUNTIME_WORKSPACES.flatMap((w) => [`${w}/src`, `${w}/package.json`]),
  "apps/web/dist",
  "package-lock.json",
  ".node-version",
  "install",
  "connectors/wordpress/steward-connector",
  "docs",
  "CHANGELOG.md",
  "README.md",
];

/** Whether `file` and its checksum exist and are newer than every input. */
function upToDate(file: string): boolean {
  if (!existsSync(file) || !existsSync(`${file}.sha256`)) return false;
  const built = statSync(file).mtimeMs;
  return INPUTS.every((input) => {
    const path = join(repoRoot, input);
    if (!statSync(path).isDirectory()) return statSync(path).mtimeMs < built;
    return filesUnder(path)
      .filter((f) => keepSource(`${input}/${f}`))
      .every((f) => statSync(join(path, f)).mtimeMs < built);
  });
}

const sha256Of = (file: string) =>
  new Promise<string>((done, fail) => {
    const h = createHash("sha256");
    createReadStream(file)
      .on("data", (c) => h.update(c))
      .on("end", () => done(h.digest("hex")))
      .on("error", fail);
  });

export async function buildRelease(
  opts: { out?: string; force?: boolean } = {},
): Promise<BuiltRelease> {
  const pkg = JSON.parse(readFileSync(join(repoRoot, "apps/cli/package.json"), "utf8"));
  const version = pkg.version as string;
  const pinned = readFileSync(join(repoRoot, ".node-version"), "utf8").trim();
  if (process.version !== `v${pinned}`)
    throw new Error(`run it under the pinned Node ${pinned} (npm run build:release)`);
  if (!existsSync(join(repoRoot, "apps/web/dist/index.html")))
    throw new Error("the console is not built (npm run build:web)");
  const name = `steward-${version}-linux-${process.arch}`;
  const out = resolve(opts.out ?? join(repoRoot, "dist"));
  const file = join(out, `${name}.tar.gz`);
  if (!opts.force && upToDate(file)) {
    const sha256 = readFileSync(`${file}.sha256`, "utf8").slice(0, 64);
    return { version, file, sha256, bytes: statSync(file).size, built: false };
  }
  const work = mkdtempSync(join(tmpdir(), "steward-release-"));
  const tree = join(work, `steward-${version}`);
  const copy = (from: string, filter?: (rel: string) => boolean) =>
    cpSync(join(repoRoot, from), join(tree, from), {
      recursive: true,
      ...(filter ? { filter: (src: string) => filter(relative(repoRoot, src)) } : {}),
    });
  try {
    mkdirSync(tree);
    writeFileSync(
      join(tree, "package.json"),
      `${JSON.stringify(
        {
          name: "steward",
          version,
          private: true,
          type: "module",
          license: pkg.license ?? "AGPL-3.0-only",
          engines: { node: `>=${pinned} <${Number(pinned.split(".")[0]) + 1}` },
        },
        null,
        2,
      )}\n`,
    );
    for (const w of RUNTIME_WORKSPACES) {
      copy(`${w}/package.json`);
      copy(`${w}/src`, keepSource);
    }
    copy("apps/web/package.json");
    copy("apps/web/dist");
    const lock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")).packages;
    for (const path of runtimePackages(repoRoot, (p) => existsSync(join(repoRoot, p)))) {
      const entry = lock[path] as { link?: boolean; resolved?: string };
      if (entry.link && entry.resolved) {
        mkdirSync(dirname(join(tree, path)), { recursive: true });
        symlinkSync(
          relative(dirname(join(tree, path)), join(tree, entry.resolved)),
          join(tree, path),
        );
      } else {
        // its own nested node_modules are packages of their own (copied when reached)
        const nested = `${path}/node_modules`;
        copy(path, (rel) => rel !== nested && !rel.startsWith(`${nested}/`));
      }
    }
    const agent = await buildAgent({ version, archs: [process.arch] });
    cpSync(agent.dir, join(tree, "dist/agent", version), { recursive: true });
    for (const p of ["install", "connectors/wordpress/steward-connector", "docs"]) copy(p);
    for (const f of ["CHANGELOG.md", "README.md"]) copy(f);
    mkdirSync(join(tree, "node/bin"), { recursive: true });
    cpSync(process.execPath, join(tree, "node/bin/node"));

    mkdirSync(out, { recursive: true });
    const building = `${file}.${process.pid}`;
    execFileSync("tar", [
      "--sort=name",
      "--owner=0",
      "--group=0",
      "--numeric-owner",
      "-czf",
      building,
      "-C",
      work,
      `steward-${version}`,
    ]);
    const sha256 = await sha256Of(building);
    renameSync(building, file);
    writeFileSync(`${file}.sha256`, `${sha256}  ${name}.tar.gz\n`);
    return { version, file, sha256, bytes: statSync(file).size, built: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { out: { type: "string" }, force: { type: "boolean", default: false } },
  });
  const r = await buildRelease({ force: values.force, ...(values.out ? { out: values.out } : {}) });
  const size = `${(r.bytes / 1048576).toFixed(1)} MB`;
  process.stdout.write(
    `${r.built ? "built" : "up to date"}: ${r.file} (${size})\n${r.sha256}  ${r.file.split("/").pop()}\n`,
  );
}
