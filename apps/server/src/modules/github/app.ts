// The GitHub App at work: its JWT (integrations/github/app-jwt.ts), the installation serving
// an owner (resolved by organization, then by user, and remembered), and installation access
// tokens, kept until a minute before they expire (GitHub issues them for an hour). One cache
// per process, keyed by the App's key fingerprint: a new key or App starts afresh.
import type { KeyObject } from "node:crypto";
import { appJwt } from "../../integrations/github/app-jwt.ts";
import { type GithubClient, GithubError } from "../../integrations/github/client.ts";

export interface AppCredentials {
  appId: number;
  key: KeyObject;
  fingerprint: string;
}

/** An installation token is used until this long before GitHub's `expires_at`. */
const TOKEN_MARGIN_MS = 60_000;

export interface AppSession {
  /** the installation of the App on `owner` (an organization or a user) */
  installationFor(owner: string): Promise<number>;
  /** an installation access token, cached until shortly before it expires */
  tokenFor(installationId: number): Promise<string>;
}

export function createAppCache(now: () => number = Date.now) {
  const installations = new Map<string, number>();
  const tokens = new Map<string, { token: string; until: number }>();
  return {
    session(client: GithubClient, creds: AppCredentials): AppSession {
      const jwt = () => appJwt(creds.appId, creds.key, now());
      return {
        async installationFor(owner) {
          const key = `${creds.fingerprint}|${owner.toLowerCase()}`;
          const known = installations.get(key);
          if (known !== undefined) return known;
          const found = await client.installation(jwt(), { org: owner }).catch((err) => {
            // not an organization (or not installed there): the user of that login
            if (err instanceof GithubError && err.status === 404)
              return client.installation(jwt(), { user: owner });
            throw err;
          });
          installations.set(key, found.id);
          return found.id;
        },
        async tokenFor(installationId) {
          const key = `${creds.fingerprint}|${installationId}`;
          const cached = tokens.get(key);
          if (cached && cached.until > now()) return cached.token;
          const issued = await client.accessToken(jwt(), installationId);
          const expires = Date.parse(issued.expires_at);
          tokens.set(key, {
            token: issued.token,
            until: (Number.isFinite(expires) ? expires : now()) - TOKEN_MARGIN_MS,
          });
          return issued.token;
        },
      };
    },
  };
}
export type AppCache = ReturnType<typeof createAppCache>;
