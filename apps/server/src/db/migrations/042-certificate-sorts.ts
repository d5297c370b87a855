import { type Migration, sql } from "kysely";

/**
 * The certificates dashboard's other orders (issue 13): by name (the names' JSON text, which
 * starts with the primary name: `["shop.example.com", …]`) and by state, each an index walk
 * beside every filter and scope the list has (all, an account, a site, a state, an account's
 * state), as the expiry order's (migration 024).
 */
export const m042_certificate_sorts = (): Migration => ({
  async up(db) {
    const indexes: [string, string][] = [
      ["certificates_names_idx", "names, id"],
      ["certificates_account_names_idx", "account_id, names, id"],
      ["certificates_site_names_idx", "site_id, names, id"],
      ["certificates_state_names_idx", "state, names, id"],
      ["certificates_account_state_names_idx", "account_id, state, names, id"],
      ["certificates_site_state_idx", "site_id, state, id"],
    ];
    for (const [name, columns] of indexes)
      await sql`create index ${sql.id(name)} on certificates (${sql.raw(columns)})`.execute(db);
  },
});
