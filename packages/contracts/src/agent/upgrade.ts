// The single-file agent's release (docs/install.md): its version as the panel serves it
// (/install/agent/<version>/steward-agent-linux-<arch>), and the upgrade an agent performs.
import { z } from "zod";

/** A release's version: semver, with an optional pre-release (no build metadata: a URL segment). */
export const agentVersionPattern = /^\d{1,6}\.\d{1,6}\.\d{1,6}(-[0-9A-Za-z]+(\.[0-9A-Za-z-]+)*)?$/;
export const agentVersion = z
  .string()
  .max(64, "must be at most 64 characters")
  .regex(agentVersionPattern, "must be a version like 1.2.3 or 1.2.3-rc.1");

/** The architectures the single-file agent is built for (Node's names). */
export const agentArch = z.enum(["x64", "arm64"]);
export type AgentArch = z.infer<typeof agentArch>;

/** The binary's file name the panel serves for an architecture. */
export const agentBinaryName = (arch: AgentArch) => `steward-agent-linux-${arch}`;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 in lowercase hex");

/** agent.upgrade: download this version from the panel, check it, swap, restart. */
export const agentUpgradeInput = z.strictObject({
  version: agentVersion,
  /** of the binary for the node's architecture, as the panel has it */
  sha256: sha256Hex,
});
export const agentUpgradeOutput = z.object({
  /** the version it runs now (the agent restarts into the new one after answering) */
  from: z.string(),
  to: agentVersion,
  /** false: it already ran this version; nothing changed, no restart */
  restart: z.boolean(),
});
export type AgentUpgradeOutput = z.infer<typeof agentUpgradeOutput>;
