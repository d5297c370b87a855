import { describe, expect, it } from "vitest";
import { actor, grant } from "../testing/actors.ts";
import { allows, effectiveRank } from "./policy.ts";
import type { Target } from "./types.ts";

const NONE = 0;
const READ = 1;
const OPERATE = 2;
const ADMIN = 3;

const inX: Target = { kind: "account", accountId: "X" };
const inY: Target = { kind: "account", accountId: "Y" };
const siteInX: Target = { kind: "resource", type: "site", id: "s1", accountId: "X" };
const otherSiteInX: Target = { kind: "resource", type: "site", id: "s2", accountId: "X" };
const global: Target = { kind: "global" };
const system: Target = { kind: "system" };

describe("effectiveRank", () => {
  it("takes the most specific grant of a principal", () => {
    const grants = [
      grant("user:u1", "global", ADMIN),
      grant("user:u1", "account:X", READ),
      grant("user:u1", "site:s1", OPERATE),
    ];
    const a = actor({});
    expect(effectiveRank(a, grants, global)).toBe(ADMIN);
    expect(effectiveRank(a, grants, inY)).toBe(ADMIN);
    expect(effectiveRank(a, grants, inX)).toBe(READ);
    expect(effectiveRank(a, grants, siteInX)).toBe(OPERATE);
    expect(effectiveRank(a, grants, otherSiteInX)).toBe(READ);
  });

  it("does not confuse resources of different types with the same id", () => {
    const grants = [grant("user:u1", "database:s1", ADMIN)];
    expect(effectiveRank(actor({}), grants, siteInX)).toBe(NONE);
  });

  it("takes the highest role across the user and its groups", () => {
    const grants = [
      grant("user:u1", "account:X", READ),
      grant("group:g1", "account:X", ADMIN),
      grant("group:g2", "global", OPERATE),
    ];
    expect(effectiveRank(actor({ groupIds: ["g1", "g2"] }), grants, inX)).toBe(ADMIN);
    expect(effectiveRank(actor({ groupIds: ["g2"] }), grants, inX)).toBe(OPERATE);
    expect(effectiveRank(actor({ groupIds: ["g2"] }), grants, inY)).toBe(OPERATE);
    expect(effectiveRank(actor({}), grants, inY)).toBe(NONE);
  });

  it("ignores grants of groups the user is not in and of other users", () => {
    const grants = [grant("group:g9", "global", ADMIN), grant("user:u2", "global", ADMIN)];
    expect(effectiveRank(actor({ groupIds: ["g1"] }), grants, inX)).toBe(NONE);
  });

  it("lets an explicit none block inheritance for that principal only", () => {
    const grants = [
      grant("user:u1", "global", ADMIN),
      grant("user:u1", "account:X", NONE),
      grant("group:g1", "global", READ),
    ];
    expect(effectiveRank(actor({}), grants, inX)).toBe(NONE);
    expect(effectiveRank(actor({}), grants, siteInX)).toBe(NONE);
    expect(effectiveRank(actor({}), grants, inY)).toBe(ADMIN);
    expect(effectiveRank(actor({ groupIds: ["g1"] }), grants, inX)).toBe(READ);
    const blockedSite = [...grants, grant("user:u1", "site:s1", NONE)];
    expect(effectiveRank(actor({}), blockedSite, siteInX)).toBe(NONE);
  });

  it("makes super admin everywhere, and only super reaches system targets", () => {
    const superUser = actor({ groupIds: ["super"], isSuper: true });
    for (const t of [global, inX, siteInX, system]) {
      expect(effectiveRank(superUser, [], t)).toBe(ADMIN);
    }
    // an explicit none does not narrow super
    expect(effectiveRank(superUser, [grant("user:u1", "account:X", NONE)], inX)).toBe(ADMIN);
    const globalAdmin = actor({});
    expect(effectiveRank(globalAdmin, [grant("user:u1", "global", ADMIN)], system)).toBe(NONE);
  });
});

describe("API key scopes", () => {
  const grants = [grant("user:u1", "global", ADMIN)];
  const rank = (scopes: Parameters<typeof actor>[0]["scopes"], t: Target, isSuper = false) =>
    effectiveRank(actor({ scopes, isSuper }), grants, t);

  it('"*" does not narrow', () => {
    for (const t of [global, inX, siteInX]) expect(rank(["*"], t)).toBe(ADMIN);
  });

  it('"read" caps at read everywhere, super included', () => {
    for (const t of [global, inX, siteInX]) {
      expect(rank(["read"], t)).toBe(READ);
      expect(rank(["read"], t, true)).toBe(READ);
    }
  });

  it("never raises the user's own role", () => {
    const readOnly = [grant("user:u1", "global", READ)];
    expect(effectiveRank(actor({ scopes: ["admin"] }), readOnly, inX)).toBe(READ);
    expect(effectiveRank(actor({ scopes: ["account:X:admin"] }), readOnly, inX)).toBe(READ);
  });

  it('"account:X:operate" caps at operate inside X and gives nothing elsewhere', () => {
    const s: Parameters<typeof actor>[0]["scopes"] = ["account:X:operate"];
    expect(rank(s, inX)).toBe(OPERATE);
    expect(rank(s, siteInX)).toBe(OPERATE);
    expect(rank(s, inY)).toBe(NONE);
    expect(rank(s, { kind: "resource", type: "site", id: "s1", accountId: "Y" })).toBe(NONE);
    expect(rank(s, global)).toBe(NONE);
    expect(rank(s, inX, true)).toBe(OPERATE);
  });

  it("takes the highest of several scopes for a target", () => {
    const s: Parameters<typeof actor>[0]["scopes"] = ["read", "account:X:admin"];
    expect(rank(s, inX)).toBe(ADMIN);
    expect(rank(s, inY)).toBe(READ);
  });

  it("needs super and an unnarrowed key for system targets", () => {
    expect(rank(null, system, true)).toBe(ADMIN);
    expect(rank(["*"], system, true)).toBe(ADMIN);
    for (const s of [["read"], ["operate"], ["account:X:admin"]] as const) {
      expect(rank([...s], system, true)).toBe(NONE);
    }
    expect(rank(["*"], system, false)).toBe(NONE);
  });
});

describe("allows", () => {
  const grants = [grant("user:u1", "account:X", OPERATE)];
  const a = actor({});

  it("compares the effective role with the role needed", () => {
    expect(allows(a, grants, inX, "read")).toBe(true);
    expect(allows(a, grants, inX, "operate")).toBe(true);
    expect(allows(a, grants, inX, "admin")).toBe(false);
    expect(allows(a, grants, inY, "read")).toBe(false);
  });

  it('never allows on a "none" need, even for super', () => {
    expect(allows(a, grants, inY, "none")).toBe(false);
    expect(allows(actor({ isSuper: true }), [], inX, "none")).toBe(false);
  });

  it("allows system actions to super sessions only", () => {
    expect(allows(actor({ isSuper: true }), [], system, "admin")).toBe(true);
    expect(allows(actor({ isSuper: true, scopes: ["operate"] }), [], system, "admin")).toBe(false);
    expect(allows(actor({}), [grant("user:u1", "global", ADMIN)], system, "admin")).toBe(false);
  });
});
