export { type Ctx, systemActor } from "./access/types.ts";
export { ConfigError, loadSettings, readConfigFile, resolveOrigins } from "./config/load.ts";
export {
  type SettingKey,
  type Settings,
  secretSettings,
  settingDefs,
  settingKeys,
} from "./config/schema.ts";
export { migrateToLatest, pendingMigrations } from "./db/migrate.ts";
export { type Db, openDatabase } from "./db/open.ts";
export { buildApp } from "./http/app.ts";
export { AppError, StartupError } from "./lib/errors.ts";
export { createLogger } from "./log.ts";
export { serve } from "./main.ts";
export { createServices, type Services } from "./services.ts";
