// The agent's configuration (agent.json in its directory). Every binary, path and service
// command it uses is here, with Debian/Ubuntu defaults, so tests point it at hermetic
// instances and real servers use the distribution's.
export interface AgentConfig {
  /** the agent's directory: agent.json, its key and certificates (0700) */
  dir: string;
  nodeId: string;
  panelUrl: string;
  /** address and port the HTTPS server listens on */
  listen: { host: string; port: number };
}
