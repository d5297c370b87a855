import { z } from "zod";
import { apiKeyScope } from "../access.ts";
import { email, id, label, password, text } from "../validators.ts";

export const user = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  disabled: z.boolean(),
  twoFactorEnabled: z.boolean(),
  passkeys: z.number().int(),
  super: z.boolean(),
  createdAt: z.string(),
});
export type User = z.infer<typeof user>;

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
export const userListQuery = z.strictObject({
  q: text(100).optional(),
  disabled: z.enum(["true", "false"]).optional(),
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
