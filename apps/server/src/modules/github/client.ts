// The GitHub client under the installation's outbound policy, and the App's credentials as
// stored (the key opened from its seal). Shared by the service (checks) and the task.
import type { Settings } from "../../config/schema.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import { readAppKey } from "../../integrations/github/app-jwt.ts";
import { type GithubClient, githubClient } from "../../integrations/github/client.ts";
import { panelEndpoints } from "../../lib/outbound.ts";
import type { AppCredentials } from "./app.ts";
import type { AppRow } from "./repo.ts";

export type GithubSettings = Pick<
  Settings,
  "githubApi" | "githubWeb" | "outboundAllow" | "outboundDeny" | "listen" | "port" | "publicUrl"
>;

/** The installation's outbound policy for GitHub (no private ranges unless allowed). */
export const outboundFor = (settings: GithubSettings) => ({
  policy: {
    allowPrivate: false,
    allow: [...settings.outboundAllow],
    deny: [...settings.outboundDeny],
    endpoints: panelEndpoints(settings, true),
  },
  timeoutMs: 20_000,
});

/** A client under the installation's outbound policy. */
export const clientFor = (settings: GithubSettings): GithubClient =>
  githubClient(settings.githubApi, outboundFor(settings));

/** The stored App's id and key, opened. */
export function credentialsOf(row: AppRow, secrets: Secrets): AppCredentials {
  const read = readAppKey(secrets.open(row.private_key_enc));
  if (typeof read === "string") throw new Error(`the stored GitHub App key ${read}`);
  return { appId: Number(row.app_id), key: read.key, fingerprint: read.fingerprint };
}
