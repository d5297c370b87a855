// One owner per table (docs/architecture.md, "Module shape"): for every table, the files that
// may read and write it (its module's repo.ts) and, where a query of another module joins it
// for names or a filter, "readers" that may only select from it. ownership.test.ts parses the
// server's sources and fails on any other use. Paths are relative to apps/server/src; one
// ending in "/" is a folder. Migrations are exempt (they make the tables).
import type { Database } from "../db/schema.ts";

export type TableOwner = { owners: string[]; readers?: string[] };

const users = "modules/users/repo.ts";
/** better-auth reaches its tables through its own adapter: that is not our SQL. */
const auth: TableOwner = { owners: [users] };

/** The task engine owns every write of its tables (engine/writes.test.ts checks writes alone). */
const engine = "engine/";
const engineTestSupport = "testing/engine.ts";

const databases = "modules/databases/repo.ts";
/** the databases and users Steward made or adopted (their SQL beside the servers') */
const databaseItems = "modules/databases/items-repo.ts";
/** the databases' sizes now and their history (the sizes task, an account's sums) */
const databaseSizes = "modules/databases/sizes-repo.ts";
/** the backups policy names the account column of its tables in its list conditions */
const backupPolicy = "access/policies/backups.ts";
const databasePolicy = "access/policies/database-servers.ts";
/** the CMS fleet's update policies, upgrade tasks and history (migration 064) */
const cmsUpdates = "modules/cms/update-repo.ts";

export const OWNERS: Record<keyof Database, TableOwner> = {
  auth_user: {
    owners: [users],
    readers: ["modules/groups/repo.ts", "modules/grants/repo.ts", "modules/apikeys/repo.ts"],
  },
  auth_session: auth,
  auth_account: auth,
  auth_two_factor: auth,
  auth_passkey: auth,
  auth_apikey: { owners: ["modules/apikeys/repo.ts"] },
  accounts: { owners: ["modules/accounts/repo.ts"], readers: ["modules/grants/repo.ts"] },
  groups: { owners: ["modules/groups/repo.ts"], readers: ["modules/grants/repo.ts"] },
  group_members: {
    owners: ["modules/groups/repo.ts"],
    readers: [users, "modules/grants/repo.ts"],
  },
  grants: { owners: ["modules/grants/repo.ts"] },
  audit_events: {
    owners: ["modules/audit/repo.ts"],
    // the list's visibility condition names the table's columns; test support reads the trail
    readers: ["access/policies/audit.ts", "testing/auth.ts"],
  },
  settings: { owners: ["modules/settings/repo.ts"] },
  pki: { owners: ["pki/store.ts"] },
  nodes: { owners: ["modules/nodes/repo.ts"] },
  node_enrollments: { owners: ["modules/nodes/repo.ts"] },
  sites: { owners: ["modules/sites/repo.ts"] },
  site_domains: { owners: ["modules/sites/repo.ts"] },
  site_protected_paths: { owners: ["modules/sites/settings-repo.ts"] },
  site_php_settings: { owners: ["modules/sites/settings-repo.ts"] },
  node_metrics: { owners: ["modules/nodes/repo.ts"] },
  certificates: { owners: ["modules/certificates/repo.ts"] },
  acme_accounts: { owners: ["modules/certificates/repo.ts"] },
  dns_providers: { owners: ["modules/dns-providers/repo.ts"] },
  apps: { owners: ["modules/apps/repo.ts"] },
  app_deployments: { owners: ["modules/apps/repo.ts"] },
  app_git_sources: { owners: ["modules/apps/git-repo.ts"] },
  app_webhook_deliveries: { owners: ["modules/apps/git-repo.ts"] },
  app_compose_allowances: { owners: ["modules/apps/compose-repo.ts"] },
  system_users: { owners: ["modules/system-users/repo.ts"] },
  cms_update_policies: { owners: [cmsUpdates] },
  cms_upgrades: { owners: [cmsUpdates] },
  cms_update_history: { owners: [cmsUpdates] },
  cms_update_shots: { owners: [cmsUpdates] },
  mail_domains: { owners: ["modules/mail/repo.ts"] },
  mailboxes: { owners: ["modules/mail/repo.ts", "modules/mail/usage-repo.ts"] },
  mail_usage_samples: { owners: ["modules/mail/usage-repo.ts"] },
  mail_usage_days: { owners: ["modules/mail/usage-repo.ts"] },
  mail_aliases: { owners: ["modules/mail/repo.ts"] },
  mail_dkim_keys: { owners: ["modules/mail/dkim-repo.ts"] },
  mail_dns_records: { owners: ["modules/mail/dkim-repo.ts"] },
  mail_dns_policies: { owners: ["modules/mail/dkim-repo.ts"] },
  cron_jobs: { owners: ["modules/cron/repo.ts"] },
  cron_runs: { owners: ["modules/cron/repo.ts"] },
  ftp_certificates: { owners: ["modules/system-users/ftp-tls-repo.ts"] },
  system_user_usage: { owners: ["modules/system-users/usage-repo.ts"] },
  cms_sites: { owners: ["modules/cms/repo.ts"], readers: ["modules/cms/fleet-repo.ts"] },
  cms_extensions: { owners: ["modules/cms/fleet-repo.ts"] },
  cms_plugin_releases: { owners: ["modules/cms/fleet-repo.ts"] },
  tasks: {
    owners: [engine, engineTestSupport],
    readers: ["modules/tasks/repo.ts", "modules/dashboard/repo.ts", "http/plugins/task-metrics.ts"],
  },
  task_deps: { owners: [engine, engineTestSupport] },
  task_logs: { owners: [engine, engineTestSupport], readers: ["modules/tasks/repo.ts"] },
  task_gaps: { owners: [engine, engineTestSupport] },
  events: {
    owners: ["modules/events/repo.ts"],
    // the list's visibility condition names the table's columns
    readers: ["access/policies/events.ts"],
  },
  notification_channels: { owners: ["modules/notifications/repo.ts"] },
  message_templates: { owners: ["modules/notifications/repo.ts"] },
  monitors: {
    owners: ["modules/monitors/repo.ts"],
    // the list's condition keeps installation monitors (no account) to super users
    readers: ["access/policies/monitors.ts"],
  },
  monitor_results: { owners: ["modules/monitors/repo.ts", "modules/monitors/rollup-repo.ts"] },
  monitor_rollups: { owners: ["modules/monitors/rollup-repo.ts"] },
  monitor_rollup_marks: { owners: ["modules/monitors/rollup-repo.ts"] },
  status_pages: {
    owners: ["modules/status-pages/repo.ts"],
    // the list's condition names the table's account column
    readers: ["access/policies/status-pages.ts"],
  },
  status_page_monitors: { owners: ["modules/status-pages/repo.ts"] },
  status_page_incidents: { owners: ["modules/status-pages/repo.ts"] },
  notification_rules: { owners: ["modules/notifications/rules/repo.ts"] },
  notification_rule_channels: { owners: ["modules/notifications/rules/repo.ts"] },
  notification_deliveries: { owners: ["modules/notifications/dispatch/repo.ts"] },
  notification_delivery_events: { owners: ["modules/notifications/dispatch/repo.ts"] },
  notification_dispatch: { owners: ["modules/notifications/dispatch/repo.ts"] },
  notification_dispatched: { owners: ["modules/notifications/dispatch/repo.ts"] },
  notification_flaps: { owners: ["modules/notifications/dispatch/repo.ts"] },
  dns_zones: { owners: ["modules/dns/repo.ts"] },
  dns_records: { owners: ["modules/dns/repo.ts"] },
  dns_zone_secondaries: { owners: ["modules/dns/secondaries-repo.ts"] },
  database_servers: {
    owners: [databases],
    // the list's visibility condition names the table's columns
    readers: [databasePolicy, databaseItems],
  },
  databases: { owners: [databases, databaseItems, databaseSizes], readers: [databasePolicy] },
  database_users: { owners: [databases, databaseItems], readers: [databasePolicy] },
  database_grants: { owners: [databases, databaseItems] },
  database_sizes: { owners: [databases, databaseItems, databaseSizes] },
  database_queries: { owners: ["modules/databases/console/repo.ts"] },
  backup_destinations: {
    owners: ["modules/backups/repo.ts"],
    // the list's visibility condition names the table's columns
    readers: ["access/policies/backup-destinations.ts"],
  },
  backup_sources: { owners: ["modules/backups/sources-repo.ts"], readers: [backupPolicy] },
  backup_plans: { owners: ["modules/backups/plans-repo.ts"], readers: [backupPolicy] },
  backup_runs: {
    owners: ["modules/backups/runs-repo.ts", "modules/backups/activity-repo.ts"],
    readers: [backupPolicy],
  },
  backup_held_keys: { owners: ["modules/backups/held-keys.ts"] },
  backup_artifacts: {
    owners: ["modules/backups/runs-repo.ts", "modules/backups/activity-repo.ts"],
    readers: [backupPolicy],
  },
  github_app: { owners: ["modules/github/repo.ts"] },
  github_templates: { owners: ["modules/github/repo.ts"] },
  github_repositories: { owners: ["modules/github/repo.ts"] },
  tunnels: { owners: ["modules/tunnels/repo.ts"] },
  tunnel_routes: { owners: ["modules/tunnels/repo.ts"] },
  node_firewalls: { owners: ["modules/firewall/repo.ts"] },
};

/** Files that may read a table named by a variable (test support snapshotting every table). */
export const ANY_TABLE_READERS = ["testing/fixtures.ts"];
