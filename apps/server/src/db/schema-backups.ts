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

/** migration 041: what a backup reads */
export interface BackupSourceTable {
  id: string;
  account_id: string;
  name: string;
  kind: "files" | "database" | "server" | "mongodb" | "steward";
  node_id: string | null;
  database_id: string | null;
  server_id: string | null;
  /** JSON: the kind's settings without secrets */
  spec: string;
  secret_sealed: string | null;
  last_check: string | null;
  created_at: number;
  updated_at: number;
}

export interface BackupPlanTable {
  id: string;
  account_id: string;
  name: string;
  source_ids: string;
  destination_ids: string;
  schedule: string | null;
  time_zone: string;
  compression_level: number;
  encryption: "none" | "recipients" | "panel";
  recipients: string;
  private_key_sealed: string | null;
  retention: string;
  concurrency: number;
  enabled: number;
  schedule_task_id: string | null;
  /** migration 051: test restores on a schedule, their recurring task, the recovery kit */
  verify_schedule: string | null;
  verify_time_zone: string | null;
  verify_task_id: string | null;
  recovery_kit_taken_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface BackupRunTable {
  id: string;
  account_id: string;
  plan_id: string;
  source_id: string;
  description: string;
  node_id: string | null;
  status: "queued" | "running" | "succeeded" | "partial" | "failed";
  artifact: string;
  source_bytes: number | null;
  bytes: number | null;
  outcomes: string;
  error: string | null;
  task_id: string | null;
  started_at: number | null;
  finished_at: number | null;
  created_at: number;
}

export interface BackupArtifactTable {
  id: string;
  account_id: string;
  /** null: imported from its sidecar by the storage explorer (migration 052) */
  run_id: string | null;
  /** null: an orphan artifact of the account (imported without a plan) */
  plan_id: string | null;
  source_id: string | null;
  destination_id: string;
  name: string;
  bytes: number;
  sha256: string;
  source_description: string;
  verified: number;
  verified_at: number | null;
  /** migration 051: the last test restore's failure, and when it was checked */
  verify_error: string | null;
  verify_checked_at: number | null;
  deleted_at: number | null;
  /** when the storage explorer imported it (migration 052) */
  imported_at: number | null;
  created_at: number;
}

/** An identity held for one restore/verify task until it takes it (migration 076). */
export interface BackupHeldKeyTable {
  task_id: string;
  /** the private key, sealed with the master key */
  sealed: string;
  expires_at: number;
}
