// `@steward/agent/backups`: destinations, the encrypted streaming pipeline and file sources,
// run by the agent on the node that reaches the source, and by the panel to test a destination.
export * from "./chunks.ts";
export { toolVersion } from "./db-tools.ts";
export * from "./destination.ts";
export { deleteObjects, listObjects } from "./explorer.ts";
export * from "./files.ts";
export * from "./keys.ts";
export * from "./measure.ts";
export * from "./open.ts";
export * from "./pipeline.ts";
export * from "./restore.ts";
export * from "./run-output.ts";
export * from "./sources.ts";
export { intoTool, toolEnv, toolSource } from "./tool-process.ts";
