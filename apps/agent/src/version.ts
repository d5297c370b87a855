// The agent's version: what `npm run build:agent` was given (its --version), else the package's.
import agentPackage from "../package.json" with { type: "json" };

/** set by the single-file build (build-agent.ts), a constant in the bundle */
declare const STEWARD_AGENT_VERSION: string | undefined;

export const AGENT_VERSION: string =
  typeof STEWARD_AGENT_VERSION === "string" ? STEWARD_AGENT_VERSION : agentPackage.version;
