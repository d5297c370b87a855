// Random but reproducible access configurations for the property test of the SQL filter.
import type { ApiKeyScope } from "@steward/contracts";
import type { Actor, GrantRow } from "../access/types.ts";
import { actor, grant } from "./actors.ts";

/** mulberry32: a small seeded PRNG, so a failing seed can be replayed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p: number) => next() < p,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
  };
}

export interface Config {
  seed: number;
  actor: Actor;
  grants: GrantRow[];
}

const GROUPS = ["g1", "g2", "g3"];

/** Scopes of the key (or null for a session), over the given account ids. */
function randomScopes(r: ReturnType<typeof prng>, accounts: string[]): ApiKeyScope[] | null {
  const role = () => r.pick(["read", "operate", "admin"] as const);
  const account = (): ApiKeyScope => `account:${r.pick(accounts)}:${role()}` as ApiKeyScope;
  const options: (() => ApiKeyScope[] | null)[] = [
    () => null,
    () => null,
    () => ["*"],
    () => [role()],
    () => [account()],
    () => [account(), account()],
    () => [role(), account()],
  ];
  return r.pick(options)();
}

/**
 * A user in 0-2 groups (plus grants of a group it is not in), each principal with a random
 * global grant, account grants and, when resources are given, grants on some of them
 * (and on same-id resources of another type, which must not count).
 */
export function randomConfig(seed: number, accounts: string[], resources: string[] = []): Config {
  const r = prng(seed);
  const groupIds = GROUPS.filter(() => r.chance(0.4)).slice(0, 2);
  const grants: GrantRow[] = [];
  for (const principal of ["user:u1", ...GROUPS.map((g) => `group:${g}`)]) {
    if (r.chance(0.5)) grants.push(grant(principal, "global", r.int(4)));
    for (const id of accounts)
      if (r.chance(0.25)) grants.push(grant(principal, `account:${id}`, r.int(4)));
    for (const id of resources) {
      if (r.chance(0.2)) grants.push(grant(principal, `site:${id}`, r.int(4)));
      if (r.chance(0.05)) grants.push(grant(principal, `database:${id}`, r.int(4)));
    }
  }
  const a = actor({ groupIds, isSuper: r.chance(0.08), scopes: randomScopes(r, accounts) });
  return { seed, actor: a, grants };
}

export const describeConfig = (c: Config) =>
  JSON.stringify({
    seed: c.seed,
    groupIds: c.actor.groupIds,
    isSuper: c.actor.isSuper,
    scopes: c.actor.scopes,
    grants: c.grants.map(
      (g) => `${g.principal_type}:${g.principal_id} ${g.scope_type}:${g.scope_id}=${g.role_rank}`,
    ),
  });
