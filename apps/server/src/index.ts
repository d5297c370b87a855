export { type Ctx, systemActor } from "./access/types.ts";
export { type StartLocalAgent, startLocalAgent } from "./agents/local.ts";
export { ConfigError, loadSettings, readConfigFile, resolveOrigins } from "./config/load.ts";
export {
  type SettingKey,
  type Settings,
  secretSettings,
  settingDefs,
  settingKeys,
} from "./config/schema.ts";
export { migrateToLatest, pendingMigrations } from "./db/migrate.ts";
export { type Db, openDatabase, openPostgres, openSqlite } from "./db/open.ts";
// the task engine, for bench/tasks (it measures the engine without the HTTP API)
export { noopTask } from "./engine/builtin/noop.ts";
export { createEngine, defaultEngineOptions } from "./engine/engine.ts";
export { buildApp } from "./http/app.ts";
export { AppError, StartupError } from "./lib/errors.ts";
export { newId } from "./lib/ids.ts";
export { createLogger } from "./log.ts";
export { type ServeOptions, serve } from "./main.ts";
export { createServices, type Services } from "./services.ts";
