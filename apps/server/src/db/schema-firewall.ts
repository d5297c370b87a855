// The table of node firewalls (migration 060, modules/firewall). Kept beside schema.ts, which
// lists it in `Database`.

/** A node's firewall: its saved rules (JSON) and where their apply stands. */
export interface NodeFirewallTable {
  node_id: string;
  rules: string;
  confirm_seconds: number;
  /** 1: the panel confirms once it reaches the agent again; 0: a person does */
  auto_confirm: number;
  revision: number;
  applied_revision: number | null;
  status: string;
  message: string | null;
  /** epoch ms: while pending, when the node reverts unless confirmed */
  revert_at: number | null;
  /** the revision a person confirmed (manual confirmation) */
  confirmed_revision: number | null;
  panel_address: string | null;
  task_id: string | null;
  created_at: number;
  updated_at: number;
}
