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
  /** the last run (cron_runs): a run now or a scheduled one */
  last_run_id: string | null;
  /** the job's heartbeat monitor (migration 074), pinged by the node after a run that exits 0 */
  heartbeat_monitor_id: string | null;
  /** that monitor's token, sealed under the master key (the node's job file holds it) */
  heartbeat_token: string | null;
  created_at: number;
  updated_at: number;
}

/**
 * A run of a cron job: a run now (its task's log has the output) or a scheduled run the node
 * reported (migration 074: the cron.collect task that brought it, the end of its output).
 */
export interface CronRunTable {
  id: string;
  job_id: string;
  account_id: string;
  task_id: string;
  state: "running" | "done" | "failed";
  exit_code: number | null;
  created_at: number;
  finished_at: number | null;
  kind: "manual" | "scheduled";
  /** a scheduled run's entry in the node's spool (recorded once) */
  spool_id: string | null;
  uid: number | null;
  duration_ms: number | null;
  /** a scheduled run's output: the end of stdout, then of stderr */
  output: string | null;
  /** why a scheduled run did not start */
  error: string | null;
}
