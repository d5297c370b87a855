import { type Migration, sql } from "kysely";

/**
 * Steward's own backup as a plan's source (issue 15, docs/backups.md "Steward's own backup"):
 * at most one source of kind `steward` per panel, held by a unique partial index, which is also
 * how the panel finds it.
 */
export const m054_steward_source = (): Migration => ({
  async up(db) {
    await sql`create unique index backup_sources_steward_idx on backup_sources (kind) where kind = 'steward'`.execute(
      db,
    );
  },
});
