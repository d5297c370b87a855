// The two dialects every repository and engine test runs on.
import { inject } from "vitest";
import { createDatabase } from "./postgres.ts";

export type DialectName = "sqlite" | "postgres";

/** Dialects available in this run: SQLite always, PostgreSQL when the global setup started it. */
export function dialects(): DialectName[] {
  return inject("pgUrl") ? ["sqlite", "postgres"] : ["sqlite"];
}

/** A fresh, empty PostgreSQL database in the run's server; returns its URL. */
export async function freshPostgresDatabase(): Promise<string> {
  const base = inject("pgUrl");
  if (!base) throw new Error("PostgreSQL is not running in this test run");
  return createDatabase(base);
}
