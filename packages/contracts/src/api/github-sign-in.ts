// Sign in with GitHub (issue 16): a super user sets the installation's GitHub OAuth App (its
// client id, and its client secret, sealed at rest and never answered); a user links a GitHub
// account while signed in; only a linked, active user may then sign in with it.
import { z } from "zod";

/**
 * An OAuth App's client id as GitHub shows it ("Ov23li…", "Iv1.…", older 20 hex digits):
 * letters, digits, `.`, `-` and `_`, 1 to 100. Nothing else reaches a URL or a form.
 */
export const githubClientId = z
  .string()
  .max(100, "must be at most 100 characters")
  .regex(
    /^[A-Za-z0-9._-]{1,100}$/,
    "must be a GitHub client id (letters, digits, ., - and _; 1 to 100)",
  );

/** An OAuth App's client secret as GitHub generates it (40 hex digits today). */
export const githubClientSecret = z
  .string()
  .max(100, "must be at most 100 characters")
  .regex(
    /^[A-Za-z0-9._-]{20,100}$/,
    "must be a GitHub client secret (letters, digits, ., - and _; 20 to 100)",
  );

export const githubSignInSettings = z.object({
  enabled: z.boolean(),
  clientId: z.string().nullable(),
  /** whether a client secret is stored (it is never answered) */
  secretSet: z.boolean(),
  /** the "Authorization callback URL" to enter in the OAuth App's settings on GitHub */
  callbackUrl: z.string(),
  updatedAt: z.string().nullable(),
});
export type GithubSignInSettings = z.infer<typeof githubSignInSettings>;

/** `clientSecret` may be left out to keep the stored one (required the first time). */
export const githubSignInUpdate = z.strictObject({
  enabled: z.boolean(),
  clientId: githubClientId,
  clientSecret: githubClientSecret.optional(),
});
export type GithubSignInUpdate = z.infer<typeof githubSignInUpdate>;

/** What the sign-in page offers (public). */
export const signInMethods = z.object({ password: z.literal(true), github: z.boolean() });
