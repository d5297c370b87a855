// The tables of database servers, databases, their users, grants and sizes (migration 032,
// modules/databases). Kept beside schema.ts, which lists them in `Database`.
import type { Generated } from "kysely";

export interface DatabaseServerTable {
  id: string;
  /** null: a shared server only super admins manage */
  account_id: string | null;
  name: string;
  engine: "mariadb" | "postgres";
  placement: "on-node" | "external";
  /** on-node: the node whose own server it is */
  node_id: string | null;
  host: string | null;
  port: number | null;
  admin_user: string | null;
  admin_password_sealed: string | null;
  tls_mode: Generated<"disable" | "require" | "verify-full">;
  tls_ca: string | null;
  /** external: the node that connects; null: the panel */
  via_node_id: string | null;
  version: string | null;
  size_bytes: number | null;
  /** JSON: the last ConnectionReport */
  last_test: string | null;
  tested_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface DatabaseTable {
  id: string;
  server_id: string;
  account_id: string | null;
  /** its server's engine (migration 050: the lists' engine filter) */
  engine: "mariadb" | "postgres";
  name: string;
  options: Generated<string>;
  adopted: Generated<number>;
  size_bytes: number | null;
  sized_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface DatabaseUserTable {
  id: string;
  server_id: string;
  account_id: string | null;
  /** its server's engine (migration 050) */
  engine: "mariadb" | "postgres";
  name: string;
  hosts: Generated<string>;
  connection_limit: number | null;
  password_sealed: string | null;
  adopted: Generated<number>;
  rotated_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface DatabaseGrantTable {
  user_id: string;
  database_id: string;
  level: string;
}

export interface DatabaseSizeTable {
  database_id: string;
  at: number;
  size_bytes: number;
}
