// The SQL console's history (migration 034, modules/databases/console). Kept beside
// schema.ts, which lists it in `Database`.
export interface DatabaseQueryTable {
  id: string;
  database_id: string;
  account_id: string | null;
  actor_id: string;
  statement: string;
  mode: "read" | "write";
  outcome: "success" | "failure";
  error: string | null;
  row_count: number | null;
  duration_ms: number;
  at: number;
}
