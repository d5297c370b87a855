export {
  type AgentConfig,
  type AgentJson,
  ConfigError,
  DEFAULT_DIR,
  loadConfig,
  parseConfig,
} from "./config.ts";
export { EnrollError, enroll } from "./enroll.ts";
export { runAskpassHelper } from "./ops/backups/sftp-askpass.ts";
export { runCronExec } from "./ops/cron/exec.ts";
export { type OpContext, OpFailure, type OpHandler } from "./ops/types.ts";
export { AGENT_VERSION, type AgentServer, startAgent } from "./server.ts";
