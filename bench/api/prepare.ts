// One seeded data directory (SQLite) or database (PostgreSQL) for bench:api: migrated, the
// users made through the services, the bulk rows generated in SQL, then the grants.
import type { Kysely } from "kysely";
import { openSeeding } from "../lib/services.ts";
import { createUsers, grantAccess, type Users } from "./access.ts";
import type { Dialect } from "./rows.ts";
import { type Counts, seedBulk } from "./seed.ts";

export interface Prepared {
  dialect: Dialect;
  dataDir: string;
  databaseUrl?: string;
  users: Users;
  /** the accounts the admin manages through its group (the none user reads the first) */
  adminAccounts: string[];
  rows: Record<string, number>;
  seconds: number;
}

/** Seeds `dataDir` (its SQLite file, or the master key of the PostgreSQL at `databaseUrl`). */
export async function prepare(
  dialect: Dialect,
  counts: Counts,
  dataDir: string,
  databaseUrl?: string,
): Promise<Prepared> {
  const started = performance.now();
  const seeding = await openSeeding(dataDir, databaseUrl);
  try {
    const users = await createUsers(seeding);
    const db = seeding.db.db as unknown as Kysely<unknown>;
    const rows = await seedBulk(db, dialect, counts, Object.values(users));
    const adminAccounts = await grantAccess(seeding, users);
    const seconds = (performance.now() - started) / 1000;
    return { dialect, dataDir, databaseUrl, users, adminAccounts, rows, seconds };
  } finally {
    await seeding.close();
  }
}
