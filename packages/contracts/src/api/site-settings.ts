// A site's directory protection and PHP settings through the API (docs/sites.md). Passwords
// come in only here; the panel stores and sends bcrypt hashes, and answers with user names.
import { z } from "zod";
import {
  htUser,
  MAX_PATH_USERS,
  MAX_PROTECTED_PATHS,
  phpSettings,
  protectedPath,
} from "../agent/site-settings.ts";
import { password } from "../validators.ts";

const unique = (keys: string[]) => new Set(keys).size === keys.length;

/** bcrypt reads 72 bytes: a longer password would be checked on its start only. */
const htPassword = password.refine(
  (s) => new TextEncoder().encode(s).length <= 72,
  "must be at most 72 bytes (bcrypt reads no more)",
);

/** The whole list of protected paths; a user without a password keeps the one they have. */
export const siteProtectionInput = z.strictObject({
  paths: z
    .array(
      z.strictObject({
        path: protectedPath,
        users: z
          .array(z.strictObject({ name: htUser, password: htPassword.optional() }))
          .min(1, "must list at least one user")
          .max(MAX_PATH_USERS, `must list at most ${MAX_PATH_USERS} users`)
          .refine((users) => unique(users.map((u) => u.name)), "must not repeat a user"),
      }),
    )
    .max(MAX_PROTECTED_PATHS, `must list at most ${MAX_PROTECTED_PATHS} paths`)
    .refine((paths) => unique(paths.map((p) => p.path)), "must not repeat a path"),
});
export type SiteProtectionInput = z.infer<typeof siteProtectionInput>;

/** What a site's protection looks like from outside: paths and user names, never a hash. */
export const siteProtectionView = z.object({
  paths: z.array(z.object({ path: z.string(), users: z.array(z.string()) })),
});
export type SiteProtectionView = z.infer<typeof siteProtectionView>;

export const sitePhpInput = z.strictObject({ settings: phpSettings });
export type SitePhpInput = z.infer<typeof sitePhpInput>;

export const sitePhpView = z.object({
  settings: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});

export const siteProtectionChange = siteProtectionView.extend({ taskId: z.string() });
export const sitePhpChange = sitePhpView.extend({ taskId: z.string() });
