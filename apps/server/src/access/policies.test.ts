// The named policies for each kind of caller: every decision of access/policies/ (the rules
// behind the routes of http/access-matrix.test.ts), and what GET /api/v1/me says the console
// may offer, which the same decisions compute.
import type { Capabilities } from "@steward/contracts";
import { dialects } from "@steward/testkit";
import { type Expression, type SqlBool, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTORS, type ActorName, type World } from "../testing/fixtures.ts";
import type { TestServer } from "../testing/harness.ts";
import { namedDecisions, POLICY_RULES, type Probe } from "../testing/policy-rules.ts";
import { startTaskWorld } from "../testing/task-world.ts";
import { grantsOf, membershipOf } from "./service.ts";
import type { Actor, Ctx } from "./types.ts";

const NOTHING: Capabilities = {
  createSite: false,
  readNodes: false,
  createNode: false,
  createAccount: false,
  manageUsers: false,
  manageGroups: false,
  manageGrants: false,
  createApiKey: true,
  readAudit: true,
  readAllAudit: false,
  createChannel: false,
  createMonitor: false,
  manageDatabases: false,
  manageBackups: false,
  manageNotifications: false,
  upgradeAgents: false,
};
const EVERYTHING = Object.fromEntries(
  Object.keys(NOTHING).map((name) => [name, true]),
) as Capabilities;

const CAN: Record<ActorName, Capabilities> = {
  super: EVERYTHING,
  accountAdmin: {
    ...NOTHING,
    createSite: true,
    createChannel: true,
    createMonitor: true,
    manageDatabases: true,
    manageBackups: true,
  },
  operator: NOTHING,
  reader: NOTHING,
  noGrant: NOTHING,
  otherAdmin: {
    ...NOTHING,
    createSite: true,
    createChannel: true,
    createMonitor: true,
    manageDatabases: true,
    manageBackups: true,
  },
  // a super user's key narrowed to reading: reads nodes, makes nothing, not even keys
  narrowKey: { ...NOTHING, readNodes: true, createApiKey: false },
};

describe.each(dialects())("named policies on %s", (dialect) => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    ({ s, w } = await startTaskWorld(dialect));
  });
  afterAll(async () => {
    await s?.close();
  });

  /** The context the API gives a caller using the actor's API key. */
  async function ctxOf(who: ActorName): Promise<Ctx> {
    const userId = w.userIds[who];
    const actor: Actor = {
      type: "api_key",
      userId,
      email: "",
      name: who,
      keyId: w.keyIds[who],
      scopes: who === "narrowKey" ? ["read"] : ["*"],
      sessionId: null,
      ...(await membershipOf(s.svc.db.db, userId)),
    };
    return { actor, grants: await grantsOf(s.svc.db.db, actor), ip: null, requestId: null };
  }

  /** Whether a list scope keeps one row, given as a derived table named like the real one. */
  async function keeps(
    table: string,
    columns: Record<string, string | null>,
    scope: Expression<SqlBool> | null,
  ) {
    const row = sql.join(
      Object.entries(columns).map(
        ([name, value]) => sql`cast(${value} as text) as ${sql.ref(name)}`,
      ),
    );
    const where = scope ?? sql<SqlBool>`1 = 1`;
    const found =
      await sql`select 1 from (select ${row}) as ${sql.table(table)} where ${where}`.execute(
        s.svc.db.db,
      );
    return found.rows.length > 0;
  }

  it("has a rule for every named decision of every policy, and only for those", () => {
    const named = namedDecisions();
    const ruled = Object.keys(POLICY_RULES);
    expect(named.filter((d) => !ruled.includes(d))).toEqual([]);
    expect(ruled.filter((d) => !named.includes(d))).toEqual([]);
  });

  it("answers each named decision for each kind of caller as its rule says", async () => {
    const got: Record<string, Record<string, unknown>> = {};
    const want: Record<string, Record<string, unknown>> = {};
    for (const who of ACTORS) {
      const ctx = await ctxOf(who);
      const selfActorId = w.keyIds[who];
      const probe: Probe = { ctx, w, kinds: s.svc.engine.registry, selfActorId, keeps };
      for (const [decision, rule] of Object.entries(POLICY_RULES)) {
        got[decision] = { ...got[decision], [who]: await rule.decide(probe) };
        want[decision] = { ...want[decision], [who]: rule.expect[ACTORS.indexOf(who)] };
      }
    }
    expect(got).toEqual(want);
  });

  it("tells each kind of caller what the console may offer it (GET /me can)", async () => {
    const got: Record<string, unknown> = {};
    for (const who of ACTORS) {
      const res = await s.request("GET", "/api/v1/me", { key: w.keys[who] });
      expect(res.status).toBe(200);
      got[who] = res.body.can;
    }
    expect(got).toEqual(CAN);
  });

  it("offers a session everything its grants allow, keys included", async () => {
    const cookie = await s.signIn("account-admin@example.com");
    const res = await s.request("GET", "/api/v1/me", { cookie });
    expect(res.body.can).toEqual({
      ...NOTHING,
      createSite: true,
      createChannel: true,
      createMonitor: true,
      manageDatabases: true,
      manageBackups: true,
    });
  });
});
