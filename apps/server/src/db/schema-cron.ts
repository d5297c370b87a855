// The tables of hosting accounts' cron jobs (migration 067, modules/cron). Kept beside
// schema.ts, which lists them in `Database`.

/** A cron job: one line of its account's cron.d file on a node, run as a system user. */
export interface CronJobTable {
  id: string;
  account_id: string;
  node_id: string;
  system_user_id: string;
  schedule: string;
  command: string;
  /** JSON object: PATH, MAILTO */
  env: string;
  enabled: number;
  status: "pending" | "applied" | "failed" | "deleting";
  last_error: string | null;
  task_id: string | null;
  /** the last run now (cron_runs) */
  last_run_id: string | null;
  created_at: number;
  updated_at: number;
}

/** A run now of a cron job: its task (whose log has the output) and exit status. */
export interface CronRunTable {
  id: string;
  job_id: string;
  account_id: string;
  task_id: string;
  state: "running" | "done" | "failed";
  exit_code: number | null;
  created_at: number;
  finished_at: number | null;
}
