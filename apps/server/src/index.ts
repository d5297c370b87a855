export * from "./admin.ts";
export { type StartLocalAgent, startLocalAgent } from "./agents/local.ts";
export { pendingMigrations } from "./db/migrate.ts";
export { openPostgres, openSqlite } from "./db/open.ts";
// the task engine, for bench/tasks (it measures the engine without the HTTP API)
export { noopTask } from "./engine/builtin/noop.ts";
export { createEngine, defaultEngineOptions } from "./engine/engine.ts";
export { buildApp } from "./http/app.ts";
export { newId } from "./lib/ids.ts";
export { createLogger } from "./log.ts";
export { type ServeOptions, serve } from "./main.ts";
export { createServices } from "./services.ts";
