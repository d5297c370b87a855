import { type Migration, sql } from "kysely";

/**
 * Every order a list may be sorted in is an index walk (issue 11): each index is the sort's
 * expression then the id (the tie-break and the cursor's second half), read forwards or
 * backwards. Creation order is the id's (ids are time-ordered); unique names (nodes, groups,
 * users' emails) already have their index.
 */
const indexes: [name: string, table: string, columns: string][] = [
  ["sites_name_idx", "sites", "primary_domain, id"],
  ["sites_status_idx", "sites", "status, id"],
  // what a non-super sees is their accounts' sites: sorted by name within each account
  ["sites_account_name_idx", "sites", "account_id, primary_domain, id"],
  ["sites_account_status_idx", "sites", "account_id, status, id"],
  ["sites_account_node_idx", "sites", "account_id, node_id, id"],
  // the filters of the sites list, sorted by name
  ["sites_node_name_idx", "sites", "node_id, primary_domain, id"],
  ["sites_status_name_idx", "sites", "status, primary_domain, id"],
  ["nodes_seen_idx", "nodes", "(coalesce(last_seen_at, 0)), id"],
  // names sort regardless of case
  ["accounts_name_idx", "accounts", "(lower(name)), id"],
  ["auth_user_name_idx", "auth_user", "(lower(name)), id"],
  // the filters of lists that only page by id: each filter, then the id
  ["auth_user_disabled_idx", "auth_user", "disabled, id"],
  ["auth_apikey_user_idx", "auth_apikey", '"referenceId", id'],
  ["grants_scope_id_idx", "grants", "scope_type, scope_id, id"],
  ["grants_scope_type_idx", "grants", "scope_type, id"],
  ["grants_scope_only_idx", "grants", "scope_id, id"],
  ["grants_principal_idx", "grants", "principal_id, id"],
  ["grants_principal_type_idx", "grants", "principal_type, id"],
  ["grants_role_idx", "grants", "role_rank, id"],
];

export const m014_list_orders = (): Migration => ({
  async up(db) {
    for (const [name, table, columns] of indexes)
      await sql`create index ${sql.id(name)} on ${sql.table(table)} (${sql.raw(columns)})`.execute(
        db,
      );
  },
});
