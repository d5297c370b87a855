import { z } from "zod";
import { principalType, role, scopeType } from "../access.ts";
import { sortQuery } from "../pagination.ts";
import { id, label, slug, text } from "../validators.ts";

export const account = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  createdAt: z.string(),
  /** what the caller may do with it (the console offers only that): manage = its admins */
  can: z.object({ manage: z.boolean() }),
});
export const accountCreate = z.strictObject({ slug, name: label(100) });
export const accountUpdate = z.strictObject({ name: label(100) });
export const accountSorts = ["name", "createdAt"] as const;
export const accountListQuery = z.strictObject({
  q: text(100).optional(),
  sort: sortQuery(accountSorts),
});

export const accountMember = z.object({
  principalType,
  principalId: z.string(),
  name: z.string(),
  role,
  grantId: z.string(),
});
export const accountMemberAdd = z.strictObject({
  principalType: principalType.default("user"),
  principalId: id,
  role: role.exclude(["none"]).default("read"),
});

export const group = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  builtin: z.boolean(),
  members: z.number().int(),
  createdAt: z.string(),
});
export const groupCreate = z.strictObject({
  name: slug,
  description: text(500).default(""),
});
export const groupUpdate = z.strictObject({
  name: slug.optional(),
  description: text(500).optional(),
});
export const groupMemberAdd = z.strictObject({ userId: id });
export const groupSorts = ["name", "createdAt"] as const;
export const groupListQuery = z.strictObject({
  /** part of the name */
  q: text(100).optional(),
  /** only the groups this user is a member of */
  userId: id.optional(),
  sort: sortQuery(groupSorts),
});

export const grant = z.object({
  id: z.string(),
  principalType,
  principalId: z.string(),
  principalName: z.string(),
  scopeType,
  scopeId: z.string().nullable(),
  /** the account's name for an account scope, else null */
  scopeName: z.string().nullable(),
  role,
  createdAt: z.string(),
});
export const grantListQuery = z.strictObject({
  principalType: principalType.optional(),
  principalId: id.optional(),
  scopeType: scopeType.optional(),
  scopeId: text(140).optional(),
  role: role.optional(),
  /** the grants that apply to this user: its own and those of its groups */
  userId: id.optional(),
});
