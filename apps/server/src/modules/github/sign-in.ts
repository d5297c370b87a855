// Sign in with GitHub (issue 16): the installation's GitHub OAuth App, set by super users (its
// client id, its client secret sealed with the master key and never answered), off by default.
// Kept as one row of `settings` (`github_sign_in`). `current()` is what better-auth's GitHub
// provider (sign-in-provider.ts) uses: read again before each GitHub endpoint is forwarded,
// so a change made through another panel process applies at once.
import type { GithubSignInSettings, GithubSignInUpdate } from "@steward/contracts";
import { enforce } from "../../access/decision.ts";
import { github } from "../../access/policies/github.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import { invalid } from "../../lib/errors.ts";
import { getSetting, putSetting } from "../settings/repo.ts";

export const SIGN_IN_SETTING = "github_sign_in";

interface Stored {
  enabled: boolean;
  clientId: string;
  /** the client secret, sealed */
  secret: string;
  updatedAt: number;
}

/** The OAuth App's credentials, opened: only while sign in with GitHub is enabled. */
export interface SignInCredentials {
  clientId: string;
  clientSecret: string;
}

interface Deps {
  db: Db;
  secrets: Secrets;
  publicUrl: string;
}

export function createGithubSignIn({ db, secrets, publicUrl }: Deps) {
  const k = db.db;
  const callbackUrl = `${publicUrl.replace(/\/$/, "")}/api/auth/callback/github`;

  async function stored(): Promise<Stored | null> {
    const raw = await getSetting(k, SIGN_IN_SETTING);
    return raw ? (JSON.parse(raw) as Stored) : null;
  }

  const answer = (s: Stored | null): GithubSignInSettings => ({
    enabled: s?.enabled ?? false,
    clientId: s?.clientId ?? null,
    secretSet: Boolean(s?.secret),
    callbackUrl,
    updatedAt: s ? new Date(s.updatedAt).toISOString() : null,
  });

  return {
    callbackUrl,

    /** the credentials while enabled, else null (then every GitHub endpoint is a 404) */
    async current(): Promise<SignInCredentials | null> {
      const s = await stored();
      return s?.enabled ? { clientId: s.clientId, clientSecret: secrets.open(s.secret) } : null;
    },

    /** what the sign-in page offers (public: no credential in it) */
    async enabled() {
      return (await stored())?.enabled ?? false;
    },

    async get(ctx: Ctx) {
      enforce(ctx, github.canManageSignIn(ctx));
      return answer(await stored());
    },

    async set(ctx: Ctx, input: GithubSignInUpdate) {
      enforce(ctx, github.canManageSignIn(ctx));
      const before = await stored();
      if (input.clientSecret === undefined && !before?.secret)
        throw invalid("clientSecret", "is required the first time");
      const next: Stored = {
        enabled: input.enabled,
        clientId: input.clientId,
        secret:
          input.clientSecret === undefined
            ? (before?.secret ?? "")
            : secrets.seal(input.clientSecret),
        updatedAt: Date.now(),
      };
      await k.transaction().execute(async (trx) => {
        await putSetting(trx, SIGN_IN_SETTING, JSON.stringify(next));
        await recordAudit(trx, ctx, {
          action: "github.sign_in.update",
          targetType: "setting",
          targetId: SIGN_IN_SETTING,
          diff: {
            before: before ? { enabled: before.enabled, clientId: before.clientId } : null,
            after: {
              enabled: next.enabled,
              clientId: next.clientId,
              secretChanged: input.clientSecret !== undefined,
            },
          },
        });
      });
      return answer(next);
    },
  };
}

export type GithubSignIn = ReturnType<typeof createGithubSignIn>;
