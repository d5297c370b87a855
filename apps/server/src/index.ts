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
// monitor roll-ups, for bench/rollup (one roll-up of many monitors without the HTTP API)
export { insertMonitor, insertResults } from "./modules/monitors/repo.ts";
export { DAY, HOUR, rollUp } from "./modules/monitors/rollup.ts";
export { setRollupMark } from "./modules/monitors/rollup-repo.ts";
export { createServices } from "./services.ts";
export { heartbeatMonitorRow } from "./testing/monitor-rows.ts";
