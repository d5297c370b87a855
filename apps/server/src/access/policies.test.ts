// The named policies for each kind of caller: what GET /api/v1/me says the console may
// offer, which the same decisions compute.
import type { Capabilities } from "@steward/contracts";
import { dialects } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTORS, type ActorName, type World } from "../testing/fixtures.ts";
import type { TestServer } from "../testing/harness.ts";
import { startTaskWorld } from "../testing/task-world.ts";

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
};
const EVERYTHING = Object.fromEntries(
  Object.keys(NOTHING).map((name) => [name, true]),
) as Capabilities;

const CAN: Record<ActorName, Capabilities> = {
  super: EVERYTHING,
  accountAdmin: { ...NOTHING, createSite: true },
  operator: NOTHING,
  reader: NOTHING,
  noGrant: NOTHING,
  otherAdmin: { ...NOTHING, createSite: true },
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
    expect(res.body.can).toEqual({ ...NOTHING, createSite: true });
  });
});
