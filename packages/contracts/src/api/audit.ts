import { z } from "zod";
import { email, id, isoTime, text } from "../validators.ts";

export const auditOutcome = z.enum(["success", "failure", "denied"]);

export const auditEvent = z.object({
  id: z.string(),
  at: z.string(),
  actorType: z.enum(["user", "api_key", "system", "anonymous"]),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  /** the target's name (a site's domain, a user's email...) while it exists */
  targetName: z.string().nullable(),
  accountId: z.string().nullable(),
  outcome: auditOutcome,
  diff: z.unknown().nullable(),
});
export type AuditEvent = z.infer<typeof auditEvent>;

export const auditListQuery = z.strictObject({
  /** a user's email, or the id of a user or API key */
  actor: z
    .union([id, email], { error: "must be an email, or the id of a user or API key" })
    .optional(),
  action: z
    .string()
    .max(100)
    .regex(/^[a-z0-9_.*-]+$/, "must be an action name like user.create or user.*")
    .optional(),
  targetType: z
    .string()
    .max(40)
    .regex(/^[a-z_]+$/, "must be a target type")
    .optional(),
  target: text(200).optional(),
  account: id.optional(),
  outcome: auditOutcome.optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
});
