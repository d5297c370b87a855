// GitHub templates (issue 16): the installation's GitHub App (its id and private key, sealed
// at rest and never answered), the catalog of template repositories an account may generate
// from, and the repositories generated (their clone URL kept for a later deploy). Owner and
// repository names follow GitHub's own rules, so nothing else reaches a URL path.
import { z } from "zod";
import { id, text } from "../validators.ts";

/**
 * A GitHub user or organization login: 1-39 letters, digits and single inner hyphens
 * (GitHub's rule: no leading, trailing or doubled hyphen).
 */
export const githubOwnerPattern = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
export const githubOwner = z
  .string()
  .max(39, "must be at most 39 characters")
  .regex(
    githubOwnerPattern,
    "must be a GitHub login (letters, digits and single inner hyphens, 1 to 39)",
  );

/**
 * A repository name as GitHub accepts it: 1-100 letters, digits, `.`, `-` and `_`; not `.`
 * or `..`, and without the `.git` GitHub would strip (the name, never a clone URL).
 */
export const githubRepoPattern = /^[A-Za-z0-9._-]{1,100}$/;
export const githubRepo = z
  .string()
  .max(100, "must be at most 100 characters")
  .regex(githubRepoPattern, "must be a repository name (letters, digits, ., - and _; 1 to 100)")
  .refine((s) => s !== "." && s !== "..", "must not be . or ..")
  .refine((s) => !/\.git$/i.test(s), "must be the name without .git");

/** A branch name as `git check-ref-format --branch` accepts it, conservatively. */
export const gitBranch = z
  .string()
  .max(100, "must be at most 100 characters")
  .regex(
    /^(?![-/.])(?!.*(?:\.\.|\/\/|@\{|\/\.|\.lock$|[./]$))[A-Za-z0-9._/-]{1,100}$/,
    "must be a branch name (letters, digits, ., -, _ and /; not starting with - or .)",
  );

/** A GitHub App's numeric id (its settings page shows it). */
export const githubAppId = z.coerce
  .number({ error: "must be a number" })
  .int("must be an integer")
  .min(1, "must be a GitHub App id")
  .max(2 ** 31 - 1, "must be a GitHub App id");

/** The App's private key as GitHub hands it out: one PEM block. */
export const githubPrivateKey = z
  .string()
  .max(10_000, "must be at most 10000 characters")
  .regex(
    /^-----BEGIN (RSA )?PRIVATE KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END (RSA )?PRIVATE KEY-----\s*$/,
    "must be the App's private key (a PEM block as GitHub downloads it)",
  );

export const githubAppSettings = z.object({
  configured: z.boolean(),
  appId: z.number().nullable(),
  /** the SHA-256 of the public key, as GitHub shows it ("SHA256:…"), never the key */
  keyFingerprint: z.string().nullable(),
  /** where repositories are generated when a request names no owner */
  defaultOwner: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type GithubAppSettings = z.infer<typeof githubAppSettings>;

export const githubAppUpdate = z.strictObject({
  appId: githubAppId,
  privateKey: githubPrivateKey,
  defaultOwner: githubOwner.nullable().optional(),
});
export type GithubAppUpdate = z.infer<typeof githubAppUpdate>;

/** What GitHub says of the App (GET /app): its slug and owner, to show the key works. */
export const githubAppCheck = z.object({
  slug: z.string(),
  name: z.string(),
  owner: z.string(),
});

/**
 * One of the App's installations (GET /app/installations): the owner it serves, which is how
 * Steward resolves an owner's installation id, and whether it is the App's default owner's.
 */
export const githubInstallation = z.object({
  id: z.number(),
  owner: z.string(),
  /** "Organization" or "User" */
  ownerType: z.string(),
  /** "all" repositories of the owner, or "selected" ones */
  repositorySelection: z.string(),
  /** the installation repositories are generated with when a request names no owner */
  defaultOwner: z.boolean(),
});

export const githubTemplate = z.object({
  id: z.string(),
  accountId: z.string(),
  owner: z.string(),
  repo: z.string(),
  description: z.string(),
  defaultBranch: z.string(),
  createdAt: z.string(),
});
export type GithubTemplate = z.infer<typeof githubTemplate>;

export const githubTemplateCreate = z.strictObject({
  /** the account whose admins may generate from it */
  account: id,
  owner: githubOwner,
  repo: githubRepo,
  description: text(300).optional(),
});
export type GithubTemplateCreate = z.infer<typeof githubTemplateCreate>;

/** A template changed: its description, or another repository (GitHub confirms it again). */
export const githubTemplateUpdate = z
  .strictObject({
    owner: githubOwner.optional(),
    repo: githubRepo.optional(),
    description: text(300).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), "must change something");
export type GithubTemplateUpdate = z.infer<typeof githubTemplateUpdate>;

export const githubTemplateListQuery = z.strictObject({ account: id });

export const githubGenerate = z.strictObject({
  name: githubRepo,
  /** the user or organization that gets the repository (default: the App's default owner) */
  owner: githubOwner.optional(),
  description: text(350).optional(),
  private: z.boolean().default(true),
  includeAllBranches: z.boolean().default(false),
});
export type GithubGenerate = z.infer<typeof githubGenerate>;

export const githubRepositoryStatus = z.enum(["generating", "ready", "failed"]);

export const githubRepository = z.object({
  id: z.string(),
  accountId: z.string(),
  templateId: z.string().nullable(),
  owner: z.string(),
  name: z.string(),
  private: z.boolean(),
  status: githubRepositoryStatus,
  /** the HTTPS clone URL, once GitHub made the repository */
  cloneUrl: z.string().nullable(),
  htmlUrl: z.string().nullable(),
  /** why it failed, in GitHub's words (message, errors, documentation URL) */
  error: z.string().nullable(),
  taskId: z.string().nullable(),
  createdAt: z.string(),
});
export type GithubRepository = z.infer<typeof githubRepository>;

export const githubRepositoryListQuery = z.strictObject({ account: id });
