import type { Kysely } from "kysely";
import type { Ctx } from "../access/types.ts";
import type { Database } from "../db/schema.ts";
import { newId } from "../lib/ids.ts";
import { EVENT_ID, insertEvent, updateEvent } from "../modules/audit/repo.ts";
import { redact } from "./redact.ts";

export interface AuditEntry {
  action: string;
  outcome?: "success" | "failure" | "denied";
  targetType?: string | null;
  targetId?: string | null;
  accountId?: string | null;
  diff?: unknown;
}

/**
 * The event of a change to one thing: `<type>.<verb>` aimed at it, with its diff and, when the
 * thing belongs to an account, that account.
 */
export function changeOf(
  type: string,
  id: string,
  verb: string,
  diff: unknown,
  accountId?: string | null,
): AuditEntry {
  return {
    action: `${type}.${verb}`,
    targetType: type,
    targetId: id,
    ...(accountId === undefined ? {} : { accountId }),
    diff,
  };
}

/** Who an event is attributed to, from a request context. */
function actorColumns(ctx: Pick<Ctx, "actor">) {
  const a = ctx.actor;
  if (!a) return { actor_type: "anonymous" as const, actor_id: null, actor_name: null };
  if (a.type === "api_key")
    return {
      actor_type: "api_key" as const,
      actor_id: a.keyId,
      actor_name: `${a.email} (API key)`,
    };
  if (a.type === "system")
    return { actor_type: "system" as const, actor_id: null, actor_name: a.name };
  return { actor_type: "user" as const, actor_id: a.userId, actor_name: a.email };
}

/**
 * Writes one audit event. Pass the transaction that makes the change so the change and its
 * record commit together.
 */
export async function recordAudit(
  db: Kysely<Database>,
  ctx: Pick<Ctx, "actor" | "ip" | "requestId" | "audited">,
  entry: AuditEntry,
): Promise<string> {
  ctx.audited = true;
  const id = newId(EVENT_ID);
  await insertEvent(db, {
    id,
    at: Date.now(),
    ...actorColumns(ctx),
    ip: ctx.ip,
    request_id: ctx.requestId,
    action: entry.action,
    target_type: entry.targetType ?? null,
    target_id: entry.targetId ?? null,
    account_id: entry.accountId ?? null,
    outcome: entry.outcome ?? "success",
    diff: entry.diff === undefined ? null : JSON.stringify(redact(entry.diff)),
  });
  return id;
}

/**
 * Settles an event recorded ahead of its outcome (a sign-in attempt is recorded as a failure
 * before the password is checked, so concurrent attempts count each other).
 */
export async function settleAudit(
  db: Kysely<Database>,
  id: string,
  ctx: Pick<Ctx, "actor">,
  entry: Pick<AuditEntry, "outcome" | "diff">,
): Promise<void> {
  await updateEvent(db, id, {
    ...actorColumns(ctx),
    outcome: entry.outcome ?? "success",
    diff:
      entry.diff === undefined || entry.diff === null ? null : JSON.stringify(redact(entry.diff)),
  });
}

/** Makes a change and records its event in one transaction; returns what the change returns. */
export function audited<T>(
  db: Kysely<Database>,
  ctx: Pick<Ctx, "actor" | "ip" | "requestId" | "audited">,
  entry: AuditEntry,
  change: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const out = await change(trx);
    await recordAudit(trx, ctx, entry);
    return out;
  });
}
