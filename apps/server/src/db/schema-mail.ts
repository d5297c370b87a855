// The tables of mail hosting (migration 058, modules/mail). Kept beside schema.ts, which lists
// them in `Database`.
import type { SpamFilterMode } from "@steward/contracts/mail";
import type { ColumnType } from "kysely";

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
  created_at: number;
  updated_at: number;
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
