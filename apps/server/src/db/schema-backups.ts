// The tables of backups (migration 039, modules/backups). Kept beside schema.ts, which lists
// them in `Database`.

export interface BackupDestinationTable {
  id: string;
  /** null: a shared destination only super admins manage */
  account_id: string | null;
  name: string;
  kind: "local" | "s3" | "sftp" | "ftp";
  /** JSON: the kind's settings without its secrets */
  settings: string;
  /** JSON of the secret fields, sealed with the master key */
  secrets_sealed: string;
  /** JSON array: the names of the sealed fields */
  secret_names: string;
  /** JSON: the last test's result */
  last_test: string | null;
  tested_at: number | null;
  created_at: number;
  updated_at: number;
}
