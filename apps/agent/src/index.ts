export type { AgentConfig } from "./config.ts";
export { type OpContext, OpFailure, type OpHandler } from "./ops/types.ts";
