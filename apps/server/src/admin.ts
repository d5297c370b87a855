// The server's narrow entry (`@steward/server/admin`), for the CLI's commands on the panel's
// database: settings, the database, the services (made as they are used, services.ts) and
// the errors they throw. It loads no HTTP server (fastify), logger (pino) or better-auth:
// those load with what needs them. The barrel (index.ts) exports this and the rest.
export { type Ctx, systemActor } from "./access/types.ts";
export { ConfigError, loadSettings, readConfigFile, resolveOrigins } from "./config/load.ts";
export {
  type SettingKey,
  type Settings,
  secretSettings,
  settingDefs,
  settingKeys,
} from "./config/schema.ts";
export { migrateToLatest } from "./db/migrate.ts";
export { type Db, openDatabase } from "./db/open.ts";
export { type MigrationLog, postgresBeforeMigrating } from "./db/pre-migration.ts";
export { AppError, StartupError } from "./lib/errors.ts";
export { openServices, type Services } from "./services.ts";
