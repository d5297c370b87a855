import { z } from "zod";
import { id } from "./validators.ts";

/** Roles in order; an index comparison is the role comparison. */
export const roles = ["none", "read", "operate", "admin"] as const;
export type Role = (typeof roles)[number];
export const role = z.enum(roles);
export const roleRank = (r: Role): number => roles.indexOf(r);
export const rankRole = (n: number): Role => roles[Math.max(0, Math.min(3, n))] ?? "none";

export const principalType = z.enum(["user", "group"]);
export type PrincipalType = z.infer<typeof principalType>;
export const scopeType = z.enum(["global", "account", "resource"]);
export type ScopeType = z.infer<typeof scopeType>;

/**
 * API key scopes narrow the rights of the key's user:
 *   "*"                 everything the user may do (default)
 *   "read" | "operate" | "admin"     cap the role everywhere
 *   "account:<id>:<role>"            only inside one account, capped at that role
 */
export const apiKeyScope = z.union([
  z.literal("*"),
  z.enum(["read", "operate", "admin"]),
  z
    .string()
    .max(100)
    .regex(/^account:[A-Za-z0-9_-]{1,64}:(read|operate|admin)$/, "must be account:<id>:<role>"),
]);
export type ApiKeyScope = z.infer<typeof apiKeyScope>;

export const grantInput = z.strictObject({
  principalType,
  principalId: id,
  scopeType,
  /** account id for "account" scope; "<type>:<id>" of a resource for "resource" scope. */
  scopeId: z
    .string()
    .max(140)
    .regex(/^[A-Za-z0-9_-]+(:[A-Za-z0-9_-]+)?$/, "must be an id or <type>:<id>")
    .nullish(),
  role,
});
export type GrantInput = z.infer<typeof grantInput>;
