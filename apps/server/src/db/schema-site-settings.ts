// The tables of a site's directory protection and PHP settings (migration 066,
// modules/sites/settings-repo.ts). Kept beside schema.ts, which lists them in `Database`.

/** A path of a site answered only with HTTP basic auth; its users with bcrypt hashes only. */
export interface SiteProtectedPathTable {
  site_id: string;
  /** the URL path prefix (validated: plain segments, no `..`) */
  path: string;
  /** order of the paths as given (their htpasswd files are numbered by it on the node) */
  position: number;
  /** JSON: [{ "name": "...", "hash": "$2b$..." }] */
  users: string;
}

/** A PHP site's php.ini values from the allow-list (JSON object). */
export interface SitePhpSettingsTable {
  site_id: string;
  settings: string;
  updated_at: number;
}
