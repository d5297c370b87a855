import { chmodSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import { StartupError } from "../lib/errors.ts";
import { m001_foundation } from "./migrations/001-foundation.ts";
import { m002_tasks } from "./migrations/002-tasks.ts";
import { m003_task_claim } from "./migrations/003-task-claim.ts";
import { m004_nodes } from "./migrations/004-nodes.ts";
import { m005_sites } from "./migrations/005-sites.ts";
import { m006_node_outbound } from "./migrations/006-node-outbound.ts";
import { m007_site_keys } from "./migrations/007-site-keys.ts";
import { m008_session_token_hashes } from "./migrations/008-session-token-hashes.ts";
import { m010_site_php_exec } from "./migrations/010-site-php-exec.ts";
import { m011_site_names } from "./migrations/011-site-names.ts";
import { m012_node_metrics } from "./migrations/012-node-metrics.ts";
import { m013_list_indexes } from "./migrations/013-list-indexes.ts";
import { m014_list_orders } from "./migrations/014-list-orders.ts";
import { m015_task_engine_indexes } from "./migrations/015-task-engine-indexes.ts";
import { m016_task_version_indexes } from "./migrations/016-task-version-indexes.ts";
import { m017_list_walk_filters } from "./migrations/017-list-walk-filters.ts";
import { m018_site_removal } from "./migrations/018-site-removal.ts";
import { m019_task_running_walk } from "./migrations/019-task-running-walk.ts";
import { m020_list_walk_scopes } from "./migrations/020-list-walk-scopes.ts";
import { m021_events } from "./migrations/021-events.ts";
import { m022_notification_channels } from "./migrations/022-notification-channels.ts";
import { m023_monitors } from "./migrations/023-monitors.ts";
import { m024_certificates } from "./migrations/024-certificates.ts";
import { m025_notification_rules } from "./migrations/025-notification-rules.ts";
import { m026_monitor_rollups } from "./migrations/026-monitor-rollups.ts";
import { m027_status_pages } from "./migrations/027-status-pages.ts";
import { m028_site_monitors } from "./migrations/028-site-monitors.ts";
import { m029_dns } from "./migrations/029-dns.ts";
import { m030_dns_providers } from "./migrations/030-dns-providers.ts";
import { m032_databases } from "./migrations/032-databases.ts";
import { m034_database_queries } from "./migrations/034-database-queries.ts";
import { m035_certificate_source } from "./migrations/035-certificate-source.ts";
import { m036_dns_dnssec } from "./migrations/036-dns-dnssec.ts";
import { m039_backup_destinations } from "./migrations/039-backup-destinations.ts";
import { m040_monitor_locations } from "./migrations/040-monitor-locations.ts";
import { m041_backup_plans } from "./migrations/041-backup-plans.ts";
import { m042_certificate_sorts } from "./migrations/042-certificate-sorts.ts";
import { m043_dns_zone_providers } from "./migrations/043-dns-zone-providers.ts";
import { m049_dns_secondaries } from "./migrations/049-dns-secondaries.ts";
import { m050_database_engines } from "./migrations/050-database-engines.ts";
import { m051_backup_restore } from "./migrations/051-backup-restore.ts";
import { m052_backup_imports } from "./migrations/052-backup-imports.ts";
import { m053_backup_plan_activity } from "./migrations/053-backup-plan-activity.ts";
import { m054_steward_source } from "./migrations/054-steward-source.ts";
import { m055_apps } from "./migrations/055-apps.ts";
import { m056_github_tunnels } from "./migrations/056-github-tunnels.ts";
import { m057_cms_sites } from "./migrations/057-cms-sites.ts";
import { m058_mail } from "./migrations/058-mail.ts";
import { m059_system_users } from "./migrations/059-system-users.ts";
import { m060_node_firewalls } from "./migrations/060-node-firewalls.ts";
import { m062_compose } from "./migrations/062-compose.ts";
import { m063_app_git } from "./migrations/063-app-git.ts";
import { m064_cms_updates } from "./migrations/064-cms-updates.ts";
import { m065_cms_extensions } from "./migrations/065-cms-extensions.ts";
import { m066_site_protection } from "./migrations/066-site-protection.ts";
import { m067_cron_jobs } from "./migrations/067-cron-jobs.ts";
import { m069_node_agent_version } from "./migrations/069-node-agent-version.ts";
import { m070_mail_dkim } from "./migrations/070-mail-dkim.ts";
import { m071_mailbox_modes_usage } from "./migrations/071-mailbox-modes-usage.ts";
import { m072_mail_spam } from "./migrations/072-mail-spam.ts";
import { m073_site_layout } from "./migrations/073-site-layout.ts";
import { m074_cron_scheduled_runs } from "./migrations/074-cron-scheduled-runs.ts";
import { m075_cms_plugin_directory } from "./migrations/075-cms-plugin-directory.ts";
import { m076_backup_held_keys } from "./migrations/076-backup-held-keys.ts";
import { m077_ftps_certificates } from "./migrations/077-ftps-certificates.ts";
import { m079_system_user_usage } from "./migrations/079-system-user-usage.ts";
import { m080_system_user_quota } from "./migrations/080-system-user-quota.ts";
import { m081_mail_virus } from "./migrations/081-mail-virus.ts";
import { m082_mail_usage_days } from "./migrations/082-mail-usage-days.ts";
import { m083_cms_visual_check } from "./migrations/083-cms-visual-check.ts";
import { m090_cms_hosted_site } from "./migrations/090-cms-hosted-site.ts";
import { m091_site_writable_dirs } from "./migrations/091-site-writable-dirs.ts";
import { m093_app_list_filters } from "./migrations/093-app-list-filters.ts";
import { m094_app_runtime_names } from "./migrations/094-app-runtime-names.ts";
import type { Db, Dialect } from "./open.ts";

/** Forward-only migrations, in order; the same list for both dialects. */
const all = (dialect: Dialect): Record<string, Migration> => ({
  "001-foundation": m001_foundation(dialect),
  "002-tasks": m002_tasks(),
  "003-task-claim": m003_task_claim(dialect),
  "004-nodes": m004_nodes(),
  "005-sites": m005_sites(),
  "006-node-outbound": m006_node_outbound(),
  "007-site-keys": m007_site_keys(dialect),
  "008-session-token-hashes": m008_session_token_hashes(),
  "010-site-php-exec": m010_site_php_exec(),
  "011-site-names": m011_site_names(),
  "012-node-metrics": m012_node_metrics(),
  "013-list-indexes": m013_list_indexes(),
  "014-list-orders": m014_list_orders(),
  "015-task-engine-indexes": m015_task_engine_indexes(dialect),
  "016-task-version-indexes": m016_task_version_indexes(dialect),
  "017-list-walk-filters": m017_list_walk_filters(),
  "018-site-removal": m018_site_removal(),
  "019-task-running-walk": m019_task_running_walk(),
  "020-list-walk-scopes": m020_list_walk_scopes(),
  "021-events": m021_events(),
  "022-notification-channels": m022_notification_channels(),
  "023-monitors": m023_monitors(),
  "024-certificates": m024_certificates(),
  "025-notification-rules": m025_notification_rules(),
  "026-monitor-rollups": m026_monitor_rollups(),
  "027-status-pages": m027_status_pages(),
  "028-site-monitors": m028_site_monitors(),
  "029-dns": m029_dns(),
  "030-dns-providers": m030_dns_providers(),
  "032-databases": m032_databases(),
  "034-database-queries": m034_database_queries(),
  "035-certificate-source": m035_certificate_source(),
  "036-dns-dnssec": m036_dns_dnssec(),
  "039-backup-destinations": m039_backup_destinations(),
  "040-monitor-locations": m040_monitor_locations(dialect),
  "041-backup-plans": m041_backup_plans(),
  "042-certificate-sorts": m042_certificate_sorts(),
  "043-dns-zone-providers": m043_dns_zone_providers(dialect),
  "049-dns-secondaries": m049_dns_secondaries(),
  "050-database-engines": m050_database_engines(),
  "051-backup-restore": m051_backup_restore(),
  "052-backup-imports": m052_backup_imports(dialect),
  "053-backup-plan-activity": m053_backup_plan_activity(),
  "054-steward-source": m054_steward_source(),
  "055-apps": m055_apps(),
  "056-github-tunnels": m056_github_tunnels(),
  "057-cms-sites": m057_cms_sites(),
  "058-mail": m058_mail(),
  "059-system-users": m059_system_users(),
  "060-node-firewalls": m060_node_firewalls(),
  "062-compose": m062_compose(),
  "063-app-git": m063_app_git(),
  "064-cms-updates": m064_cms_updates(),
  "065-cms-extensions": m065_cms_extensions(),
  "066-site-protection": m066_site_protection(),
  "067-cron-jobs": m067_cron_jobs(),
  "069-node-agent-version": m069_node_agent_version(),
  "070-mail-dkim": m070_mail_dkim(),
  "071-mailbox-modes-usage": m071_mailbox_modes_usage(),
  "072-mail-spam": m072_mail_spam(),
  "073-site-layout": m073_site_layout(),
  "074-cron-scheduled-runs": m074_cron_scheduled_runs(),
  "075-cms-plugin-directory": m075_cms_plugin_directory(),
  "076-backup-held-keys": m076_backup_held_keys(),
  "077-ftps-certificates": m077_ftps_certificates(),
  "079-system-user-usage": m079_system_user_usage(),
  "080-system-user-quota": m080_system_user_quota(),
  "081-mail-virus": m081_mail_virus(),
  "082-mail-usage-days": m082_mail_usage_days(),
  "083-cms-visual-check": m083_cms_visual_check(dialect),
  "090-cms-hosted-site": m090_cms_hosted_site(),
  "091-site-writable-dirs": m091_site_writable_dirs(),
  "093-app-list-filters": m093_app_list_filters(),
  "094-app-runtime-names": m094_app_runtime_names(),
});

const provider = (dialect: Dialect): MigrationProvider => ({
  getMigrations: async () => all(dialect),
});

const migrator = (db: Kysely<unknown>, dialect: Dialect) =>
  new Migrator({
    db,
    provider: provider(dialect),
    migrationTableName: "steward_migration",
    migrationLockTableName: "steward_migration_lock",
  });

/**
 * Migrates to the newest schema; before migrating a database that has one, SQLite is copied
 * beside itself and a PostgreSQL database is handed to `beforePostgres` (pre-migration.ts:
 * Steward's own backup, or a warning saying how to take one).
 */
export async function migrateToLatest(
  handle: Db,
  beforePostgres?: (handle: Db, executed: string[]) => Promise<unknown>,
): Promise<string[]> {
  const { db, dialect } = handle;
  const executed = await executedMigrations(handle);
  refuseNewer(executed, dialect);
  const pending = Object.keys(all(dialect)).filter((name) => !executed.includes(name));
  if (pending.length && executed.length) {
    if (handle.file) backupBeforeMigrating(handle.file, executed);
    else await beforePostgres?.(handle, executed);
  }
  // Kysely neither locks nor uses a transaction on SQLite, so two processes starting on a
  // fresh database (serve and a CLI command) would both create the schema and one would fail.
  // BEGIN IMMEDIATE takes the write lock first (waiting up to busy_timeout), and makes the
  // run atomic; Kysely's SQLite dialect has a single connection, so the migrator runs inside.
  const sqlite = dialect === "sqlite";
  if (sqlite) await sql`begin immediate`.execute(db);
  try {
    const { error, results } = await migrator(db as Kysely<unknown>, dialect).migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    if (sqlite) await sql`commit`.execute(db);
    return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
  } catch (e) {
    if (sqlite) await sql`rollback`.execute(db).catch(() => {});
    throw e;
  }
}

/** The migrations this database has had, in order (none for a new database). */
async function executedMigrations({ db }: Db): Promise<string[]> {
  try {
    const { rows } = await sql<{
      name: string;
    }>`select name from steward_migration order by name`.execute(db);
    return rows.map((r) => r.name);
  } catch {
    return []; // no table yet: a new database
  }
}

/**
 * A database migrated by a newer Steward is refused before anything is changed: this code
 * would not know its tables, and the newer release may have moved data this one reads.
 */
function refuseNewer(executed: string[], dialect: Dialect) {
  const known = all(dialect);
  const unknown = executed.filter((name) => !(name in known));
  if (!unknown.length) return;
  const latest = Object.keys(known).at(-1);
  throw new StartupError(
    `the database was migrated by a newer Steward (its schema has ${unknown.join(", ")}; this ` +
      `Steward knows up to ${latest}): run that newer Steward, or restore the database backup ` +
      'taken before the upgrade (docs/configuration.md, "Upgrades")',
  );
}

/** How many pre-migration copies of a SQLite database are kept beside it. */
export const MIGRATION_BACKUPS_KEPT = 5;

/**
 * Before a SQLite database that already has a schema is migrated, an online copy goes to
 * `<its directory>/backups/steward-before-<last migration>-<time>.db` (`VACUUM INTO`: one read
 * transaction, consistent while other processes write; the name a bound parameter), 0600 in a
 * 0700 directory; the oldest copies beyond MIGRATION_BACKUPS_KEPT are removed. PostgreSQL is
 * backed up by its own tools (docs/configuration.md, "Upgrades").
 */
function backupBeforeMigrating(file: string, executed: string[]) {
  const dir = join(dirname(file), "backups");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const target = join(dir, `steward-before-${executed.at(-1)}-${migrationStamp()}.db`);
  const raw = new DatabaseSync(file);
  try {
    raw.exec("PRAGMA busy_timeout = 5000");
    raw.prepare("VACUUM INTO ?").run(target);
  } finally {
    raw.close();
  }
  chmodSync(target, 0o600);
  keepNewest(dir, /^steward-before-.*\.db$/, MIGRATION_BACKUPS_KEPT);
}

/** The UTC time in a pre-migration copy's name (20261206T095500Z). */
export const migrationStamp = () =>
  new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "Z");

/**
 * Removes the oldest files of `dir` whose names match beyond the newest `kept` (and each one's
 * companion, `<name><companion>`, like an export's `.meta.json`); other files are left alone.
 */
export function keepNewest(dir: string, pattern: RegExp, kept: number, companion?: string) {
  const copies = readdirSync(dir)
    .filter((name) => pattern.test(name))
    .sort((a, b) => statSync(join(dir, a)).mtimeMs - statSync(join(dir, b)).mtimeMs);
  for (const old of copies.slice(0, Math.max(0, copies.length - kept))) {
    rmSync(join(dir, old), { force: true });
    if (companion) rmSync(join(dir, `${old}${companion}`), { force: true });
  }
}

/** The migrations this Steward knows, in order; the last is the schema version it migrates to. */
export const knownMigrations = (): string[] => Object.keys(all("sqlite"));

/** Applies the migrations up to and including `name` (for tests of a migration's data). */
export async function migrateUpTo({ db, dialect }: Db, name: string): Promise<void> {
  const { error } = await migrator(db as Kysely<unknown>, dialect).migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

/** Names of migrations not applied yet (empty when the schema is current). */
export async function pendingMigrations({ db, dialect }: Db): Promise<string[]> {
  const list = await migrator(db as Kysely<unknown>, dialect).getMigrations();
  return list.filter((m) => !m.executedAt).map((m) => m.name);
}
