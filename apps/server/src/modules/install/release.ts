// The single-file agent's builds the panel serves (`npm run build:agent`, docs/install.md):
// <agentDist>/<version>/steward-agent-linux-<arch> and its .sha256, agentDist being the
// STEWARD_AGENT_DIST setting or the checkout's dist/agent. Nothing here takes a path from a
// request: the version and the architecture are validated names (contracts) first.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AGENT_VERSION } from "@steward/agent/version";
import { type AgentArch, agentArch, agentBinaryName, agentVersion } from "@steward/contracts/agent";
import type { Settings } from "../../config/schema.ts";

export const checkoutDist = fileURLToPath(new URL("../../../../../dist/agent", import.meta.url));

/** the version of the agent this panel is: the one installers and upgrades get by default */
export const panelAgentVersion = AGENT_VERSION;

export const distOf = (settings: Pick<Settings, "agentDist">) => settings.agentDist ?? checkoutDist;

export interface AgentRelease {
  version: string;
  arch: AgentArch;
  file: string;
  size: number;
  sha256: string;
}

/** The build of a version for an architecture, or null when there is none (or it is partial). */
export function findRelease(dist: string, version: string, arch: string): AgentRelease | null {
  const v = agentVersion.safeParse(version);
  const a = agentArch.safeParse(arch);
  if (!v.success || !a.success) return null;
  const file = join(dist, v.data, agentBinaryName(a.data));
  try {
    const stat = statSync(file);
    const sha256 = /^[0-9a-f]{64}/.exec(readFileSync(`${file}.sha256`, "utf8"))?.[0];
    if (!stat.isFile() || !sha256) return null;
    return { version: v.data, arch: a.data, file, size: stat.size, sha256 };
  } catch {
    return null;
  }
}
