// Row types of every table, for Kysely. Times are epoch milliseconds (bigint columns) in
// Steward's own tables; the auth_* tables follow better-auth's schema (camelCase columns).
import type { ColumnType, Generated } from "kysely";
import type {
  BackupArtifactTable,
  BackupDestinationTable,
  BackupHeldKeyTable,
  BackupPlanTable,
  BackupRunTable,
  BackupSourceTable,
} from "./schema-backups.ts";
import type {
  CmsUpdateHistoryTable,
  CmsUpdatePolicyTable,
  CmsUpdateShotTable,
  CmsUpgradeTable,
} from "./schema-cms-updates.ts";
import type { CronJobTable, CronRunTable } from "./schema-cron.ts";
import type { DatabaseQueryTable } from "./schema-database-queries.ts";
import type {
  DatabaseGrantTable,
  DatabaseServerTable,
  DatabaseSizeTable,
  DatabaseTable,
  DatabaseUserTable,
} from "./schema-databases.ts";
import type { NodeFirewallTable } from "./schema-firewall.ts";
import type { FtpCertificateTable, SystemUserUsageTable } from "./schema-ftp.ts";
import type {
  GithubAppTable,
  GithubRepositoryTable,
  GithubTemplateTable,
  TunnelRouteTable,
  TunnelTable,
} from "./schema-github.ts";
import type {
  MailAliasTable,
  MailboxTable,
  MailDkimKeyTable,
  MailDnsPolicyTable,
  MailDnsRecordTable,
  MailDomainTable,
  MailUsageDayTable,
  MailUsageSampleTable,
} from "./schema-mail.ts";
import type { SitePhpSettingsTable, SiteProtectedPathTable } from "./schema-site-settings.ts";

type AuthDate = ColumnType<Date | string, Date | string, Date | string>;
type AuthBool = ColumnType<boolean | number, boolean | number, boolean | number>;

export interface AuthUserTable {
  id: string;
  name: string;
  email: string;
  emailVerified: AuthBool;
  image: string | null;
  createdAt: AuthDate;
  updatedAt: AuthDate;
  twoFactorEnabled: AuthBool | null;
  disabled: AuthBool;
}
export interface AuthSessionTable {
  id: string;
  expiresAt: AuthDate;
  token: string;
  createdAt: AuthDate;
  updatedAt: AuthDate;
  ipAddress: string | null;
  userAgent: string | null;
  userId: string;
}
export interface AuthAccountTable {
  id: string;
  accountId: string;
  providerId: string;
  userId: string;
  password: string | null;
  createdAt: AuthDate;
  updatedAt: AuthDate;
}
export interface AuthTwoFactorTable {
  id: string;
  secret: string;
  backupCodes: string;
  userId: string;
}
export interface AuthPasskeyTable {
  id: string;
  name: string | null;
  userId: string;
  createdAt: AuthDate | null;
}
export interface AuthApiKeyTable {
  id: string;
  configId: string;
  name: string | null;
  start: string | null;
  referenceId: string;
  key: string;
  enabled: AuthBool | null;
  lastRequest: AuthDate | null;
  expiresAt: AuthDate | null;
  createdAt: AuthDate;
  updatedAt: AuthDate;
  permissions: string | null;
  metadata: string | null;
}

export interface AccountTable {
  id: string;
  slug: string;
  name: string;
  created_at: number;
  updated_at: number;
}
export interface GroupTable {
  id: string;
  name: string;
  description: string;
  builtin: number;
  created_at: number;
}
export interface GroupMemberTable {
  group_id: string;
  user_id: string;
  created_at: number;
}
export interface GrantTable {
  id: string;
  principal_type: "user" | "group";
  principal_id: string;
  scope_type: "global" | "account" | "resource";
  /** "" for global, the account id, or "<type>:<id>" of a resource */
  scope_id: string;
  /** 0 none, 1 read, 2 operate, 3 admin */
  role_rank: number;
  created_at: number;
}
export interface AuditEventTable {
  id: string;
  at: number;
  actor_type: "user" | "api_key" | "system" | "anonymous";
  actor_id: string | null;
  actor_name: string | null;
  ip: string | null;
  request_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  account_id: string | null;
  outcome: "success" | "failure" | "denied";
  diff: string | null;
}
export interface SettingTable {
  key: string;
  value: string;
  secret: Generated<number>;
  updated_at: number;
}

export type TaskState = "queued" | "running" | "succeeded" | "failed" | "cancelled";
export interface TaskTable {
  id: string;
  kind: string;
  payload: string;
  target_type: string | null;
  target_id: string | null;
  account_id: string | null;
  state: TaskState;
  enabled: number;
  priority: number;
  run_at: number;
  expression: string | null;
  timezone: string | null;
  on_success: "delete" | "disable";
  attempts: number;
  max_attempts: number;
  concurrency_key: string | null;
  concurrency_limit: number | null;
  gap_key: string | null;
  gap_ms: number | null;
  unique_key: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  cancel_requested: number;
  progress: number | null;
  progress_message: string | null;
  checkpoint: string | null;
  result: string | null;
  last_error: string | null;
  last_outcome: "succeeded" | "failed" | "cancelled" | null;
  parent_id: string | null;
  created_by: string | null;
  started_at: number | null;
  finished_at: number | null;
  created_at: number;
  updated_at: number;
}
export interface TaskDepTable {
  task_id: string;
  depends_on_id: string;
}
export interface TaskLogTable {
  id: string;
  task_id: string;
  at: number;
  attempt: number;
  level: "info" | "warn" | "error";
  message: string;
}
export interface TaskGapTable {
  gap_key: string;
  last_started_at: number;
}

export interface SiteTable {
  id: string;
  account_id: string;
  node_id: string;
  kind: "static" | "php" | "proxy";
  primary_domain: string;
  redirect: "none" | "to-www" | "to-non-www";
  root: string;
  upstream: string | null;
  system_user: string;
  status: "pending" | "active" | "failed" | "suspended" | "deleting";
  suspended: Generated<number>;
  keep_files: Generated<number>;
  /** 1: the site's PHP may start processes */
  php_allow_exec: Generated<number>;
  /** where its files live and who runs its PHP: its own user, or its account's (migration 073) */
  layout: Generated<"site" | "account">;
  /** the layout on the node (a site asked to move differs until its move succeeds) */
  applied_layout: Generated<"site" | "account">;
  /** the account's main system user on the node (layout account), else null */
  main_user: Generated<string | null>;
  /** the PHP-FPM version of its pool; null: the node's default */
  php_version: Generated<string | null>;
  /** JSON array: the directories of its document root its PHP may write (migration 091) */
  writable_dirs: Generated<string>;
  /** 1 once the site's removal was asked (a failed removal is retried as one). */
  removing: Generated<number>;
  desired_version: Generated<number>;
  applied_version: Generated<number>;
  last_error: string | null;
  /** what the last apply reported without failing; cleared by the next apply */
  warning: string | null;
  task_id: string | null;
  created_at: number;
  updated_at: number;
}
export interface SiteDomainTable {
  /** every name a site answers to, unique across sites */
  domain: string;
  site_id: string;
  /** one of the site's domains (the first is its primary), an alias, or a www counterpart */
  kind: Generated<"domain" | "alias" | "www">;
  /** order among the names of its kind */
  position: Generated<number>;
}

export interface PkiTable {
  /** "ca" or "panel" */
  name: string;
  certificate: string;
  /** the PKCS#8 PEM private key, sealed with the master key (crypto/secrets.ts) */
  key_enc: string;
  created_at: number;
}
export type NodeState = "pending" | "trusted" | "unreachable" | "revoked";
export interface NodeTable {
  id: string;
  name: string;
  agent_url: string;
  state: NodeState;
  /** SHA-256 of the agent's certificate (DER), hex: the panel accepts no other */
  cert_fingerprint: string | null;
  cert_expires_at: number | null;
  /** a rotated certificate sent to the agent, accepted too until it is seen and promoted */
  cert_next_fingerprint: string | null;
  cert_next_expires_at: number | null;
  /** JSON of the agent's facts */
  facts: string | null;
  last_seen_at: number | null;
  last_error: string | null;
  missed_heartbeats: Generated<number>;
  /** the agent of the machine the panel runs on */
  local: Generated<number>;
  /** 1: proxy upstreams (and later other outbound targets) may be private addresses */
  outbound_allow_private: Generated<number>;
  /** JSON array of CIDR ranges the node's outbound targets may reach whatever their class */
  outbound_allow: Generated<string>;
  /** where other nodes reach its DNS server (AXFR, NOTIFY): `IPv4:port` (migration 049) */
  dns_address: string | null;
  /** the agent's version as its last health answer gave it (migration 069) */
  agent_version: string | null;
  created_at: number;
  updated_at: number;
}
export interface NodeEnrollmentTable {
  id: string;
  node_id: string;
  /** SHA-256 of the token, hex; the token itself is shown once */
  token_hash: string;
  expires_at: number;
  used_at: number | null;
  created_by: string | null;
  created_at: number;
}

export interface NotificationChannelTable {
  id: string;
  /** null: installation-wide */
  account_id: string | null;
  name: string;
  kind: string;
  /** JSON of the settings without their secrets */
  settings: string;
  /** JSON of the secret fields, sealed with the master key; null when none is set */
  secrets_sealed: string | null;
  enabled: Generated<number>;
  last_test_at: number | null;
  last_test_ok: number | null;
  last_test_status: number | null;
  last_test_error: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}
export interface MessageTemplateTable {
  event_type: string;
  /** a template format: text, markdown, html */
  format: string;
  subject: string;
  body: string;
  updated_by: string | null;
  updated_at: number;
}

export interface Database {
  sites: SiteTable;
  site_domains: SiteDomainTable;
  site_protected_paths: SiteProtectedPathTable;
  site_php_settings: SitePhpSettingsTable;
  tasks: TaskTable;
  task_deps: TaskDepTable;
  task_logs: TaskLogTable;
  task_gaps: TaskGapTable;
  auth_user: AuthUserTable;
  auth_session: AuthSessionTable;
  auth_account: AuthAccountTable;
  auth_two_factor: AuthTwoFactorTable;
  auth_passkey: AuthPasskeyTable;
  auth_apikey: AuthApiKeyTable;
  accounts: AccountTable;
  groups: GroupTable;
  group_members: GroupMemberTable;
  grants: GrantTable;
  audit_events: AuditEventTable;
  settings: SettingTable;
  notification_channels: NotificationChannelTable;
  message_templates: MessageTemplateTable;
  pki: PkiTable;
  nodes: NodeTable;
  node_enrollments: NodeEnrollmentTable;
  node_metrics: NodeMetricTable;
  events: EventTable;
  monitors: MonitorTable;
  monitor_results: MonitorResultTable;
  monitor_rollups: MonitorRollupTable;
  monitor_rollup_marks: MonitorRollupMarkTable;
  status_pages: StatusPageTable;
  status_page_monitors: StatusPageMonitorTable;
  status_page_incidents: StatusPageIncidentTable;
  certificates: CertificateTable;
  acme_accounts: AcmeAccountTable;
  dns_providers: DnsProviderTable;
  cms_sites: CmsSiteTable;
  cms_update_policies: CmsUpdatePolicyTable;
  cms_upgrades: CmsUpgradeTable;
  cms_update_history: CmsUpdateHistoryTable;
  cms_update_shots: CmsUpdateShotTable;
  mail_domains: MailDomainTable;
  mailboxes: MailboxTable;
  mail_aliases: MailAliasTable;
  mail_dkim_keys: MailDkimKeyTable;
  mail_dns_records: MailDnsRecordTable;
  mail_dns_policies: MailDnsPolicyTable;
  mail_usage_samples: MailUsageSampleTable;
  mail_usage_days: MailUsageDayTable;
  cms_extensions: CmsExtensionTable;
  cms_plugin_releases: CmsPluginReleaseTable;
  notification_rules: NotificationRuleTable;
  notification_rule_channels: NotificationRuleChannelTable;
  notification_deliveries: NotificationDeliveryTable;
  notification_delivery_events: NotificationDeliveryEventTable;
  notification_dispatch: NotificationDispatchTable;
  notification_dispatched: NotificationDispatchedTable;
  notification_flaps: NotificationFlapTable;
  dns_zones: DnsZoneTable;
  dns_records: DnsRecordTable;
  dns_zone_secondaries: DnsZoneSecondaryTable;
  database_servers: DatabaseServerTable;
  backup_destinations: BackupDestinationTable;
  backup_sources: BackupSourceTable;
  backup_plans: BackupPlanTable;
  backup_runs: BackupRunTable;
  backup_artifacts: BackupArtifactTable;
  backup_held_keys: BackupHeldKeyTable;
  databases: DatabaseTable;
  database_users: DatabaseUserTable;
  database_grants: DatabaseGrantTable;
  database_sizes: DatabaseSizeTable;
  database_queries: DatabaseQueryTable;
  apps: AppTable;
  app_deployments: AppDeploymentTable;
  app_git_sources: AppGitSourceTable;
  app_webhook_deliveries: AppWebhookDeliveryTable;
  app_compose_allowances: AppComposeAllowanceTable;
  github_app: GithubAppTable;
  github_templates: GithubTemplateTable;
  github_repositories: GithubRepositoryTable;
  tunnels: TunnelTable;
  tunnel_routes: TunnelRouteTable;
  system_users: SystemUserTable;
  node_firewalls: NodeFirewallTable;
  cron_jobs: CronJobTable;
  cron_runs: CronRunTable;
  ftp_certificates: FtpCertificateTable;
  system_user_usage: SystemUserUsageTable;
}

/** A hosting account's system user on a node (modules/system-users, migration 059). */
export interface SystemUserTable {
  id: string;
  account_id: string;
  node_id: string;
  kind: "main" | "secondary";
  name: string;
  home: string;
  shell: "none" | "sftp" | "restricted";
  ftp: number;
  /** JSON array of public key lines */
  ssh_keys: string;
  /** SHA-512 crypt; null: keys only */
  password_hash: string | null;
  status: "pending" | "applied" | "failed" | "deleting";
  delete_files: Generated<number>;
  last_error: string | null;
  task_id: string | null;
  created_at: number;
  updated_at: number;
  /** disk quota asked of the node in MiB (migration 080); null: none asked, 0: no limit */
  quota_mb: number | null;
  /** the node's last apply: 1 set, 0 its filesystem has no user quotas; null: not known */
  quota_enforced: number | null;
}

/** An app of an account on a node (modules/apps, migration 055). */
export interface AppTable {
  id: string;
  account_id: string;
  node_id: string;
  /** the account's name for it: unique among the account's apps on the node */
  name: string;
  /**
   * the node's: its container's, compose project's and volumes' names, unique on the node
   * (migration 094; docs/apps.md, "Names")
   */
  runtime_name: string;
  image: string;
  /** JSON: the container spec without the values of secret variables */
  spec: string;
  /** JSON object of the secret variables, sealed with the master key */
  secrets_sealed: string | null;
  /** JSON array: the ports the last successful deploy published */
  published: string;
  status: "deploying" | "running" | "stopped" | "failed";
  /** what it runs: an image, one built from a git repository, or a compose stack (migration 093) */
  source: "image" | "git" | "compose";
  last_error: string | null;
  task_id: string | null;
  /** the name a proxy site serves the app's first published port at (migration 063) */
  domain: string | null;
  /** that proxy site (the sites module's), once made */
  site_id: string | null;
  created_at: number;
  updated_at: number;
}

/** What compose files may ask of a node beyond an app's sandbox (migration 062). */
export interface AppComposeAllowanceTable {
  node_id: string;
  /** JSON array of allowances */
  allow: string;
  updated_at: number;
}

/** One deploy of an app: its task, image, outcome and the containers reported. */
export interface AppDeploymentTable {
  id: string;
  app_id: string;
  account_id: string;
  task_id: string | null;
  image: string;
  status: "queued" | "running" | "succeeded" | "failed";
  error: string | null;
  /** JSON array of the containers the agent reported */
  containers: string;
  created_at: number;
  finished_at: number | null;
  /** git apps: the commit built (migration 063) */
  commit_sha: string | null;
  /** the engine's id of the image the deployment ran */
  image_id: string | null;
  /** what started it: manual (create, deploy, redeploy) or webhook */
  trigger: Generated<"manual" | "webhook">;
}

/** An app's git repository (modules/apps/git-repo.ts, migration 063). */
export interface AppGitSourceTable {
  app_id: string;
  url: string;
  ref: string;
  dockerfile: string;
  token_sealed: string | null;
  deploy_key_sealed: string | null;
  public_key: string | null;
  webhook_secret_sealed: string;
  last_commit: string | null;
  updated_at: number;
}

/** A webhook delivery already acted on (GitHub's X-GitHub-Delivery): replays are refused. */
export interface AppWebhookDeliveryTable {
  app_id: string;
  delivery_id: string;
  received_at: number;
}

export type CertificateState = "pending" | "issuing" | "active" | "failed";
/** A site's certificate (modules/certificates): desired names, what the node serves. */
export interface CertificateTable {
  id: string;
  site_id: string;
  account_id: string;
  node_id: string;
  /** JSON array of the names (the site's domains and aliases, ASCII) */
  names: string;
  key_type: "ecdsa-p256" | "ecdsa-p384" | "rsa-2048" | "rsa-3072" | "rsa-4096";
  state: CertificateState;
  hsts: Generated<number>;
  /** the installed certificate (hex serial, issuer DN, validity in epoch ms) */
  serial: string | null;
  issuer: string | null;
  not_before: number | null;
  not_after: number | null;
  /** when the daily scan renews it (30 days before expiry, or after a failure's backoff) */
  renew_at: number | null;
  last_error: string | null;
  failures: Generated<number>;
  /** the last expiry warning raised (21, 7 or 1 days left); null after an install */
  warned_days: number | null;
  task_id: string | null;
  /** the ACME challenge asked for; null: dns-01 when a DNS provider covers every name */
  challenge: "http-01" | "dns-01" | null;
  /** 1: the certificate also covers `*.<primary domain>` (dns-01 only) */
  wildcard: Generated<number>;
  /** acme: ordered and renewed; upload: installed as given, never renewed (migration 035) */
  source: Generated<"acme" | "upload">;
  /** its ARI certID (RFC 9773: AKI keyIdentifier "." serial, base64url); null: none */
  ari_id: string | null;
  /** when the daily scan next asks the CA's renewalInfo (ARI) about it; null: not asked */
  ari_next_at: number | null;
  created_at: number;
  updated_at: number;
}

/** An account's DNS provider for dns-01 (modules/dns-providers): its token sealed at rest. */
export interface DnsProviderTable {
  id: string;
  account_id: string;
  kind: "cloudflare";
  name: string;
  token_enc: string;
  /** JSON array of the zone names the token reaches */
  zones: string;
  created_at: number;
  updated_at: number;
}

/** An account's CMS site (modules/cms, migration 057): its application password sealed. */
export interface CmsSiteTable {
  id: string;
  account_id: string;
  name: string;
  kind: "wordpress" | "joomla";
  url: string;
  username: string;
  secret_enc: string;
  timezone: string;
  /** JSON: the connector's last answer (CmsInfo) */
  info: string | null;
  core_version: string | null;
  updates_available: number;
  refreshed_at: number | null;
  refresh_error: string | null;
  /** JSON: the last connection diagnosis (CmsDiagnosis) */
  diagnosis: string | null;
  /** the site's recurring cms.refresh task */
  refresh_task_id: string | null;
  /** migration 090: the Steward site hosting it, and the backup plan of its files and database */
  site_id: string | null;
  backup_plan_id: string | null;
  created_at: number;
  updated_at: number;
}

/** One extension (or the core) of a CMS site at its last refresh (modules/cms, migration 065). */
/** What wordpress.org's plugin directory said of a plugin (migration 075). */
export interface CmsPluginReleaseTable {
  slug: string;
  /** its last release; null when the directory does not have the plugin */
  last_updated: number | null;
  fetched_at: number;
}

export interface CmsExtensionTable {
  id: string;
  account_id: string;
  site_id: string;
  /** core, plugin, theme, or a Joomla extension type */
  type: string;
  slug: string;
  name: string;
  version: string;
  update_version: string | null;
  active: number;
  /** 1 when an update is offered */
  outdated: number;
  /** when wordpress.org's directory says the plugin last released (migration 075) */
  released_at: number | null;
  /** released_at older than the installation's limit, at the last refresh */
  abandoned: number;
  refreshed_at: number;
}

/** The installation's ACME account per directory; the key (PKCS#8 PEM) sealed. */
export interface AcmeAccountTable {
  directory: string;
  key_enc: string;
  account_url: string;
  created_at: number;
}

/** One point of a node's health per minute, the last 24 hours (the heartbeat prunes). */
export interface NodeMetricTable {
  node_id: string;
  at: number;
  load1: number;
  load5: number;
  load15: number;
  cpus: number;
  cpu_percent: number;
  memory_total: number;
  memory_available: number;
  disk_total: number;
  disk_available: number;
}

/** A domain event (migration 021, modules/events): inserted once, in its cause's transaction. */
export interface EventTable {
  id: string;
  type: string;
  severity: "info" | "warning" | "critical";
  outcome: "success" | "failure" | "none";
  /** null: an installation-level event (super users only) */
  account_id: string | null;
  target_type: string | null;
  target_id: string | null;
  /** the target's name when the event happened */
  target_name: string | null;
  summary: string;
  /** JSON of the type's fields */
  fields: string;
  group_key: string | null;
  url: string | null;
  created_at: number;
}

/** A monitor: its settings and the state its scheduler keeps (migration 023). */
export interface MonitorTable {
  id: string;
  account_id: string | null;
  name: string;
  kind: "http" | "tcp" | "dns" | "tls" | "heartbeat" | "ping" | "rdap";
  settings: string;
  interval_ms: number;
  timeout_ms: number;
  retries: number;
  paused: Generated<number>;
  maintenance: string;
  state: "pending" | "up" | "degraded" | "down";
  state_since: number;
  flapping: Generated<number>;
  transitions: Generated<string>;
  consecutive_failures: Generated<number>;
  next_due: number;
  last_check_at: number | null;
  last_response_ms: number | null;
  last_message: string | null;
  last_ping_at: number | null;
  heartbeat_hash: string | null;
  /** a site's default monitor: the site (migration 028), removed with it */
  site_id: string | null;
  /** JSON array of where it is checked from: "panel" and node ids (migration 040) */
  locations: Generated<string>;
  /** locations that must see it down; null: a majority of them */
  quorum: number | null;
  lease_owner: string | null;
  lease_until: Generated<number>;
  created_at: number;
  updated_at: number;
}

/** One check of a monitor (kept N days, then pruned by the roll-up task). */
export interface MonitorResultTable {
  monitor_id: string;
  at: number;
  /** "panel" or the node's id (migration 040): one row per location per time */
  location: Generated<string>;
  outcome: "up" | "degraded" | "down";
  response_ms: number | null;
  message: string | null;
}

/** A monitor's checks of an hour or a day, rolled up (migration 026, modules/monitors/rollup-repo.ts). */
export interface MonitorRollupTable {
  monitor_id: string;
  grain: "hour" | "day";
  start: number;
  checks: number;
  up_checks: number;
  degraded_checks: number;
  p50_ms: number | null;
  p95_ms: number | null;
  max_ms: number | null;
}

/** Until when each grain is rolled up (migration 026). */
export interface MonitorRollupMarkTable {
  grain: "hour" | "day";
  rolled_until: number;
}

/** An account's public status page (migration 027, modules/status-pages/repo.ts). */
export interface StatusPageTable {
  id: string;
  account_id: string;
  slug: string;
  title: string;
  description: string;
  created_at: number;
  updated_at: number;
}

/** A monitor a status page lists, in its order, under its public name (migration 027). */
export interface StatusPageMonitorTable {
  status_page_id: string;
  position: number;
  monitor_id: string;
  display_name: string;
}

/** An incident note of a status page (migration 027). */
export interface StatusPageIncidentTable {
  id: string;
  status_page_id: string;
  title: string;
  body: string;
  severity: "minor" | "major" | "critical" | "maintenance";
  started_at: number;
  resolved_at: number | null;
  created_at: number;
  updated_at: number;
}

/** A notification rule (migration 025, modules/notifications/rules/repo.ts). */
export interface NotificationRuleTable {
  id: string;
  /** null: installation-wide (super users) */
  account_id: string | null;
  name: string;
  enabled: Generated<number>;
  /** JSON of ruleSettings */
  settings: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}
export interface NotificationRuleChannelTable {
  rule_id: string;
  channel_id: string;
}
export type DeliveryState = "pending" | "sending" | "sent" | "failed" | "dropped";
/** One message to one channel (modules/notifications/dispatch/repo.ts). */
export interface NotificationDeliveryTable {
  id: string;
  /** null: the emergency contact */
  rule_id: string | null;
  channel_id: string;
  account_id: string | null;
  event_id: string;
  event_type: string;
  group_key: string | null;
  repeat_key: string;
  flapping: string | null;
  event_count: Generated<number>;
  due_at: number;
  state: DeliveryState;
  task_id: string | null;
  attempts: Generated<number>;
  status: number | null;
  request: string | null;
  response: string | null;
  error: string | null;
  sent_at: number | null;
  created_at: number;
  updated_at: number;
}
export interface NotificationDeliveryEventTable {
  delivery_id: string;
  event_id: string;
}
export interface NotificationDispatchTable {
  name: string;
  cursor: string;
  lease_owner: string | null;
  lease_until: number;
}
export interface NotificationDispatchedTable {
  event_id: string;
}
export interface NotificationFlapTable {
  rule_id: string;
  target_key: string;
  since: number;
}

/** An authoritative zone (modules/dns): desired state on a node, its serial YYYYMMDDnn. */
/** Another node serving a zone by transfer from the zone's node (modules/dns, migration 049). */
export interface DnsZoneSecondaryTable {
  zone_id: string;
  node_id: string;
  state: "pending" | "active" | "failed" | "removing";
  last_error: string | null;
  task_id: string | null;
  created_at: number;
  updated_at: number;
}
export interface DnsZoneTable {
  id: string;
  name: string;
  account_id: string;
  /** the node serving it; null when a DNS provider does (provider_id) */
  node_id: string | null;
  /** the DNS provider (dns_providers) holding it instead of a node (migration 043) */
  provider_id: Generated<string | null>;
  /** 1: the provider's records Steward did not write are deleted too */
  full_sync: Generated<number>;
  backend: "bind" | "powerdns" | "cloudflare" | null;
  serial: number;
  applied_serial: number | null;
  status: "pending" | "active" | "failed" | "deleting";
  last_error: string | null;
  task_id: string | null;
  /** 1: signed (DNSSEC) wanted */
  dnssec: Generated<number>;
  /** JSON {ds, dnskeys}: what the node reported while signed, else null */
  dnssec_keys: string | null;
  created_at: number;
  updated_at: number;
}

/** A zone's record, canonical (contracts' checkZone): name relative to the zone, "@" the apex. */
export interface DnsRecordTable {
  id: string;
  zone_id: string;
  name: string;
  type: "A" | "AAAA" | "CNAME" | "MX" | "TXT" | "SRV" | "CAA" | "NS" | "PTR";
  ttl: number;
  value: string;
}
