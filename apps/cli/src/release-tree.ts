// What a release tarball holds (build-release.ts, docs/install.md): the runtime workspaces'
// sources without their tests, and of node_modules only the packages their production
// dependencies reach, read from package-lock.json (as npm resolves them: a package's own
// node_modules first, then each parent's), so no development dependency, no console-only
// dependency (the console ships built) and no build tool goes into it.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The workspaces a running panel (and `steward agent` from it) loads. */
export const RUNTIME_WORKSPACES = [
  "apps/agent",
  "apps/cli",
  "apps/server",
  "packages/contracts",
  "packages/pki",
  "packages/probes",
];

/**
 * Production dependencies used only to build (the agent's bundle and executable, which the
 * release carries built): left out.
 */
export const BUILD_ONLY = new Set(["rolldown", "postject"]);

interface LockEntry {
  link?: boolean;
  resolved?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
}

/**
 * The lock file's paths (`node_modules/a`, `node_modules/a/node_modules/b`, and the workspaces'
 * links `node_modules/@steward/x`) the runtime workspaces reach through dependencies,
 * optional dependencies and required peers. `present` tells whether an optional package is
 * installed here (another platform's binary is not).
 */
export function runtimePackages(repoRoot: string, present: (path: string) => boolean): string[] {
  const lock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
  };
  const entries = lock.packages;
  const found = new Set<string>();
  const visit = (from: string) => {
    const e = entries[from];
    if (!e) return;
    const peers = Object.keys(e.peerDependencies ?? {}).filter(
      (p) => !e.peerDependenciesMeta?.[p]?.optional,
    );
    const optional = new Set(Object.keys(e.optionalDependencies ?? {}));
    const names = [...Object.keys(e.dependencies ?? {}), ...optional, ...peers];
    for (const name of names) {
      if (BUILD_ONLY.has(name)) continue;
      const at = resolve(entries, from, name);
      if (!at) {
        if (optional.has(name)) continue;
        throw new Error(`${from || "the root"}: ${name} is not in package-lock.json`);
      }
      if (found.has(at)) continue;
      if (optional.has(name) && !present(at)) continue;
      found.add(at);
      const target = entries[at];
      visit(target?.link && target.resolved ? target.resolved : at);
    }
  };
  for (const w of RUNTIME_WORKSPACES) {
    // the workspaces reach each other by name through their links in node_modules/@steward
    const link = Object.keys(entries).find((p) => entries[p]?.link && entries[p].resolved === w);
    if (link) found.add(link);
    visit(w);
  }
  return [...found].sort();
}

/** Where `name` required from the package at `from` is found: its node_modules, then each parent's. */
function resolve(entries: Record<string, LockEntry>, from: string, name: string): string | null {
  let dir = from;
  for (;;) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (entries[candidate]) return candidate;
    if (!dir) return null;
    const up = dir.lastIndexOf("/node_modules/");
    dir = up === -1 ? "" : dir.slice(0, up);
  }
}

/** A workspace's files a release keeps: everything but tests and test data. */
export function keepSource(path: string): boolean {
  return !/\.test\.ts$|(^|\/)e2e\/|(^|\/)src\/db\/fixtures\//.test(path);
}

/** Every file under `dir` (relative paths), depth first. */
export function filesUnder(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((d) => {
    const rel = prefix ? `${prefix}/${d.name}` : d.name;
    return d.isDirectory() ? filesUnder(dir, rel) : [rel];
  });
}
