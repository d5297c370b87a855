// The tables of mail hosting (migration 058, modules/mail). Kept beside schema.ts, which lists
// them in `Database`.
import type { SpamFilterMode, VirusFilterMode } from "@steward/contracts/mail";
import type { ColumnType, Generated } from "kysely";

/** A mail domain of an account, served by one node. */
export interface MailDomainTable {
  id: string;
  name: string;
  account_id: string;
  node_id: string;
  /** the site (on the same node) whose certificate Postfix and Dovecot serve, if any */
  certificate_site_id: string | null;
  status: "pending" | "active" | "failed" | "deleting";
  last_error: string | null;
  task_id: string | null;
  created_at: number;
  updated_at: number;
  /** rspamd for what arrives (migration 072): off, tag (X-Spam and Junk) or reject */
  spam_filter: ColumnType<SpamFilterMode, SpamFilterMode | undefined, SpamFilterMode>;
  /** days Junk keeps a message */
  junk_days: ColumnType<number, number | undefined, number>;
  /** ClamAV through rspamd for what arrives (migration 081): off or reject */
  virus_filter: ColumnType<VirusFilterMode, VirusFilterMode | undefined, VirusFilterMode>;
}

/** A mailbox: Dovecot's argon2id hash, a quota in MiB (0: none), enabled or not. */
export interface MailboxTable {
  id: string;
  domain_id: string;
  account_id: string;
  address: string;
  password_hash: string;
  quota_mb: number;
  enabled: number;
  /** migration 071: both | send-only | receive-only */
  mode: Generated<"both" | "send-only" | "receive-only">;
  /** migration 071: JSON of the contracts' autoresponder, or null */
  autoresponder: string | null;
  /** migration 071: the last sampling's usage (null: never sampled) */
  usage_bytes: number | null;
  usage_messages: number | null;
  usage_limit_bytes: number | null;
  usage_at: number | null;
  created_at: number;
  updated_at: number;
}

/** A mailbox's usage at the end of an hour (migration 071), kept 30 days. */
export interface MailUsageSampleTable {
  mailbox_id: string;
  account_id: string;
  at: number;
  bytes: number;
  messages: number;
}

/** A mailbox's last sample of a UTC day (migration 082): an account's days are their sums. */
export interface MailUsageDayTable {
  mailbox_id: string;
  account_id: string;
  /** the day's first millisecond */
  day: number;
  bytes: number;
  messages: number;
}

/** An alias or forward (`@domain`: the catch-all) to addresses here or elsewhere (JSON). */
export interface MailAliasTable {
  id: string;
  domain_id: string;
  account_id: string;
  source: string;
  destinations: string;
  created_at: number;
}

/** A DKIM key of a mail domain (migration 070): its public part only. */
export interface MailDkimKeyTable {
  id: string;
  domain_id: string;
  selector: string;
  public_key: string | null;
  /** pending: asked of the node; active: signs; retired: still published; failed */
  status: "pending" | "active" | "retired" | "failed";
  last_error: string | null;
  task_id: string | null;
  created_at: number;
  updated_at: number;
}

/** A record Steward made for a mail domain in a zone it manages (migration 070). */
export interface MailDnsRecordTable {
  id: string;
  domain_id: string;
  zone_id: string;
  name: string;
  type: string;
  value: string;
  created_at: number;
}

/** A mail domain's record policy (migration 070); no row: `~all`, `p=none`, no report. */
export interface MailDnsPolicyTable {
  domain_id: string;
  spf_all: "~all" | "-all";
  dmarc_policy: "none" | "quarantine" | "reject";
  dmarc_report: string | null;
  updated_at: number;
}
