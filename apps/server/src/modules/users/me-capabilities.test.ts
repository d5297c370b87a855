// What GET /api/v1/me says the console may offer (`can`) follows the caller's grants as they
// change: the capabilities are worked out once per cached caller (access/policies/index.ts,
// capabilitiesOf), and a grant given or taken drops that caller, so the next answer is new.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { useServer, useWorld } from "../../testing/use-server.ts";

describe.each(dialects())("GET /api/v1/me's capabilities on %s", (dialect) => {
  const s = useServer(dialect);
  const w = useWorld(s);
  const can = async () =>
    (await s.request("GET", "/api/v1/me", { key: w.keys.noGrant })).body.can as Record<
      string,
      boolean
    >;

  it("follow a grant given, then taken, with the same key", async () => {
    expect((await can()).createSite).toBe(false);
    expect((await can()).createSite).toBe(false);
    const given = await s.request("POST", "/api/v1/grants", {
      key: w.keys.super,
      body: {
        principalType: "user",
        principalId: w.userIds.noGrant,
        scopeType: "account",
        scopeId: w.a,
        role: "admin",
      },
    });
    expect(given.status, JSON.stringify(given.body)).toBe(200);
    expect(await can()).toMatchObject({
      createSite: true,
      manageBackups: true,
      manageUsers: false,
    });
    const taken = await s.request("DELETE", `/api/v1/grants/${given.body.id}`, {
      key: w.keys.super,
    });
    expect(taken.status, JSON.stringify(taken.body)).toBeLessThan(300);
    expect((await can()).createSite).toBe(false);
  });
});
