// The tables of FTPS certificates (migration 077, modules/system-users/ftp-tls-repo.ts) and of
// system users' disk usage (migration 079, modules/system-users/usage-repo.ts). Kept beside
// schema.ts, which lists them in `Database`.

/** A node's FTPS certificate: the site (on that node) whose certificate pure-ftpd serves. */
export interface FtpCertificateTable {
  node_id: string;
  site_id: string;
  /** the serial the last ftp.tls installed (null: not yet) */
  serial: string | null;
  task_id: string | null;
  last_error: string | null;
  updated_at: number;
}

/** A system user's disk usage as sysusers.usage last measured it (one row per user). */
export interface SystemUserUsageTable {
  system_user_id: string;
  account_id: string;
  bytes: number;
  files: number;
  /** 1: the walk stopped at its file limit (the figures are a floor) */
  truncated: number;
  measured_at: number;
}
