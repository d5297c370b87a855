// The single-file agent for tests: built once (build-agent.ts reuses a build whose bundle is
// unchanged), put into a panel's STEWARD_AGENT_DIST as the versions a test needs.
import { createHash } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type BuiltAgent, binaryName, buildAgent } from "../build-agent.ts";
import { repoRoot } from "./cli.ts";

const arch = process.arch;

/** The agent at its package's version (dist/agent), or another version (.cache/agent-builds). */
export function builtAgent(version?: string): Promise<BuiltAgent> {
  return version === undefined
    ? buildAgent()
    : buildAgent({ version, out: join(repoRoot, ".cache/agent-builds") });
}

/** Puts a build into a panel's dist directory (hard links: no copy of 120 MB). */
export function publish(dist: string, built: BuiltAgent, forArch = arch): string {
  const dir = join(dist, built.version);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, binaryName(forArch));
  linkSync(built.binaries[forArch] as string, file);
  linkSync(`${built.binaries[forArch]}.sha256`, `${file}.sha256`);
  return file;
}

/**
 * A release that answers --version and then fails to start (a broken build): what an upgrade
 * must roll back from.
 */
export function publishBroken(dist: string, version: string): string {
  const dir = join(dist, version);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, binaryName(arch));
  writeFileSync(
    file,
    `#!/bin/sh\nif [ "$1" = --version ]; then echo ${version}; exit 0; fi\necho "broken on purpose" >&2\nexit 3\n`,
    { mode: 0o755 },
  );
  const sha = createHash("sha256").update(readFileSync(file)).digest("hex");
  writeFileSync(`${file}.sha256`, `${sha}  ${binaryName(arch)}\n`);
  return file;
}
