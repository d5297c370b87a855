// A decision of a named policy (access/policies/): whether the caller may, and what the
// refusal says when not. Services enforce decisions; the console and tests read `allowed`.
import { AppError, forbidden } from "../lib/errors.ts";
import { allows } from "./policy.ts";
import type { Actor, Ctx, Role, Target } from "./types.ts";

export interface Decision {
  allowed: boolean;
  /** the FORBIDDEN message when not allowed */
  refusal: string;
}

const describe = (t: Target): string => {
  if (t.kind === "account") return `account ${t.accountId}`;
  if (t.kind === "resource") return `${t.type} ${t.id}`;
  return "everything";
};

/** The caller holds `role` on the target ("system": a super user's unnarrowed credentials). */
export function holds(ctx: Ctx, target: Target, role: Role | "system"): Decision {
  if (role === "system")
    return {
      allowed: ctx.actor !== null && allows(ctx.actor, ctx.grants, { kind: "system" }, "admin"),
      refusal: "this needs a member of the super group",
    };
  return {
    allowed: ctx.actor !== null && allows(ctx.actor, ctx.grants, target, role),
    refusal: `this needs the ${role} role on ${describe(target)}`,
  };
}

/** A decision that is not a role on a target. */
export const decided = (allowed: boolean, refusal: string): Decision => ({ allowed, refusal });

/** The first refused of several decisions, else an allowed one. */
export const allOf = (...decisions: Decision[]): Decision =>
  decisions.find((d) => !d.allowed) ?? decided(true, "");

/** One of several decisions suffices; the refusal is the last one's. */
export const anyOf = (...decisions: Decision[]): Decision =>
  decisions.find((d) => d.allowed) ?? (decisions.at(-1) as Decision);

export function requireActor(ctx: Ctx): Actor {
  if (!ctx.actor) throw new AppError("UNAUTHENTICATED", "sign in or send an API key");
  return ctx.actor;
}

/** Throws UNAUTHENTICATED without a caller, FORBIDDEN when the decision refuses. */
export function enforce(ctx: Ctx, decision: Decision): Actor {
  const actor = requireActor(ctx);
  if (!decision.allowed) throw forbidden(decision.refusal);
  return actor;
}

/**
 * The caller holds `role` on at least one account: one its grants or key scopes name, or
 * any other (an account no grant names, which `""` stands for). Cheap: no database.
 */
export function holdsOnSomeAccount(ctx: Ctx, role: Role): Decision {
  const named = [
    ...ctx.grants.filter((g) => g.scope_type === "account").map((g) => g.scope_id),
    ...(ctx.actor?.scopes ?? [])
      .filter((s) => s.startsWith("account:"))
      .map((s) => s.split(":")[1] ?? ""),
    "",
  ];
  return {
    allowed: named.some((accountId) => holds(ctx, { kind: "account", accountId }, role).allowed),
    refusal: `this needs the ${role} role on an account`,
  };
}
