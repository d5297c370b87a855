// The table of FTPS certificates (migration 077, modules/system-users/ftp-tls-repo.ts). Kept
// beside schema.ts, which lists it in `Database`.

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
