// The tables of GitHub templates and Cloudflare tunnels (migration 056, modules/github and
// modules/tunnels). Kept beside schema.ts, which lists them in `Database`.

/** The installation's GitHub App: one row, id "app"; the private key sealed. */
export interface GithubAppTable {
  id: string;
  app_id: number;
  private_key_enc: string;
  /** "SHA256:" and the base64 SHA-256 of the public key (DER), as GitHub shows it */
  key_fingerprint: string;
  default_owner: string | null;
  updated_at: number;
}

/** A template repository of the catalog, usable by one account's admins. */
export interface GithubTemplateTable {
  id: string;
  account_id: string;
  owner: string;
  repo: string;
  description: string;
  default_branch: string;
  created_at: number;
}

/** A repository generated from a template (the github.generate task fills it in). */
export interface GithubRepositoryTable {
  id: string;
  account_id: string;
  template_id: string | null;
  owner: string;
  name: string;
  private: number;
  include_all_branches: number;
  description: string;
  status: "generating" | "ready" | "failed";
  clone_url: string | null;
  html_url: string | null;
  error: string | null;
  task_id: string | null;
  created_at: number;
  updated_at: number;
}

/** A node's cloudflared tunnel (modules/tunnels): its Cloudflare ids, zone, token sealed. */
export interface TunnelTable {
  id: string;
  node_id: string;
  cf_account_id: string;
  tunnel_id: string;
  zone: string;
  token_enc: string;
  created_at: number;
  updated_at: number;
}

/** A hostname forwarded through a tunnel to a port of its node, and its CNAME's record id. */
export interface TunnelRouteTable {
  id: string;
  tunnel_id: string;
  hostname: string;
  port: number;
  dns_record_id: string | null;
  created_at: number;
}
