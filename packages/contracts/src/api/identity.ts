import { z } from "zod";
import { apiKeyScope } from "../access.ts";
import { sortQuery } from "../pagination.ts";
import { email, id, label, password, text } from "../validators.ts";

export const user = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  disabled: z.boolean(),
  twoFactorEnabled: z.boolean(),
  passkeys: z.number().int(),
  /** a GitHub account is linked: it signs this user in (docs/github.md, sign in with GitHub) */
  githubLinked: z.boolean(),
  super: z.boolean(),
  createdAt: z.string(),
});
export type User = z.infer<typeof user>;

/**
 * What the console may offer the signed-in caller, decided by the server's named policies
 * (docs/access.md). A hint for the interface: every request is still authorized.
 */
export const capabilities = z.object({
  /** "New site": admin on at least one account */
  createSite: z.boolean(),
  /** the Nodes pages: read on everything */
  readNodes: z.boolean(),
  /** "Add node", enrollment tokens, revoking: admin on everything */
  createNode: z.boolean(),
  /** "New account" (and deleting one): the super group */
  createAccount: z.boolean(),
  /** the Users pages: the super group */
  manageUsers: z.boolean(),
  /** the Groups pages: the super group */
  manageGroups: z.boolean(),
  /** the Grants page (grants on every scope): the super group */
  manageGrants: z.boolean(),
  /** "New API key": not an API key with narrowed scopes */
  createApiKey: z.boolean(),
  /** the audit log (one's own events, and those of accounts one administers) */
  readAudit: z.boolean(),
  /** every audit event, whoever acted */
  readAllAudit: z.boolean(),
  /** "New channel": admin on at least one account, or the super group */
  createChannel: z.boolean(),
  /** installation-wide notification channels and the message templates: super users */
  manageNotifications: z.boolean(),
  /** upgrade nodes' agents (POST /nodes/{id}/agent-upgrade) */
  upgradeAgents: z.boolean(),
  /** "New monitor": admin on at least one account */
  createMonitor: z.boolean(),
  /** "New database server" (and the databases pages' actions): admin on at least one account */
  manageDatabases: z.boolean(),
  /** "New plan / source / destination" and the backups pages' actions: admin on an account */
  manageBackups: z.boolean(),
});
export type Capabilities = z.infer<typeof capabilities>;

/** GET /api/v1/me: the signed-in user and what the console may offer them. */
export const me = user.extend({ can: capabilities });
export type Me = z.infer<typeof me>;

export const userCreate = z.strictObject({
  email,
  password,
  name: label(100).optional(),
  super: z.boolean().default(false),
});
export const userUpdate = z.strictObject({
  name: label(100).optional(),
  disabled: z.boolean().optional(),
});
export const passwordSet = z.strictObject({ password });
export const userSorts = ["email", "name", "createdAt"] as const;
export const userListQuery = z.strictObject({
  q: text(100).optional(),
  disabled: z.enum(["true", "false"]).optional(),
  sort: sortQuery(userSorts),
});

export const setupInput = z.strictObject({
  token: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, "must be the setup token"),
  email,
  password,
  name: label(100).optional(),
});

export const apiKey = z.object({
  id: z.string(),
  name: z.string().nullable(),
  start: z.string().nullable(),
  userId: z.string(),
  scopes: z.array(z.string()),
  enabled: z.boolean(),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export const apiKeyCreate = z.strictObject({
  name: label(32),
  scopes: z.array(apiKeyScope).min(1).max(20).default(["*"]),
  expiresInDays: z
    .number({ error: "must be a number of days" })
    .int("must be a whole number of days")
    .min(1, "must be between 1 and 3650 days")
    .max(3650, "must be between 1 and 3650 days")
    .optional(),
  /** super users may create a key for another user */
  userId: id.optional(),
});
export const apiKeyCreated = apiKey.extend({ key: z.string() });
