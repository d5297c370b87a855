// Every line of SQL of the node_firewalls table (one row per node).
import type { FirewallRules, FirewallStatus, FirewallView } from "@steward/contracts/firewall";
import type { Insertable, Kysely, Selectable, Updateable } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { NodeFirewallTable } from "../../db/schema-firewall.ts";

export type FirewallRow = Selectable<NodeFirewallTable>;

const iso = (ms: number | string | null) =>
  ms === null ? null : new Date(Number(ms)).toISOString();

export const rulesOf = (row: FirewallRow) => JSON.parse(row.rules) as FirewallRules;

export function toView(row: FirewallRow): FirewallView {
  const rules = rulesOf(row);
  return {
    node: row.node_id,
    rules: rules.rules,
    blocked: rules.blocked,
    sshRateLimit: rules.sshRateLimit,
    sshBans: rules.sshBans,
    confirmSeconds: Number(row.confirm_seconds),
    autoConfirm: Number(row.auto_confirm) === 1,
    revision: Number(row.revision),
    status: row.status as FirewallStatus,
    appliedRevision: row.applied_revision === null ? null : Number(row.applied_revision),
    revertAt: row.status === "pending" ? iso(row.revert_at) : null,
    message: row.message,
    panelAddress: row.panel_address,
    task: row.task_id,
    updatedAt: iso(row.updated_at) ?? "",
  };
}

export const findFirewall = (db: Kysely<Database>, nodeId: string) =>
  db.selectFrom("node_firewalls").selectAll().where("node_id", "=", nodeId).executeTakeFirst();

export async function insertFirewall(db: Kysely<Database>, row: Insertable<NodeFirewallTable>) {
  await db.insertInto("node_firewalls").values(row).execute();
}

export async function updateFirewall(
  db: Kysely<Database>,
  nodeId: string,
  patch: Updateable<NodeFirewallTable>,
) {
  await db
    .updateTable("node_firewalls")
    .set({ ...patch, updated_at: Date.now() })
    .where("node_id", "=", nodeId)
    .execute();
}

/** A change of the apply's state, only while the row still holds `revision`. */
export async function updateRevision(
  db: Kysely<Database>,
  nodeId: string,
  revision: number,
  patch: Updateable<NodeFirewallTable>,
) {
  await db
    .updateTable("node_firewalls")
    .set({ ...patch, updated_at: Date.now() })
    .where("node_id", "=", nodeId)
    .where("revision", "=", revision)
    .execute();
}
