// Searches take `%`, `_` and `\` literally on both dialects (SQLite has no default LIKE escape:
// a `%` or `_` in a search used to match everything), through the real API and database.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { insertSiteRows } from "../testing/site-rows.ts";
import { useServer, useWorld } from "../testing/use-server.ts";

describe.each(dialects())("LIKE searches on %s", (dialect) => {
  const s = useServer(dialect);
  const w = useWorld(s);

  const search = async (path: string, q: string) => {
    const res = await s.request("GET", `${path}?q=${encodeURIComponent(q)}&limit=100`, {
      key: w.keys.super,
    });
    expect(res.status).toBe(200);
    return res.body.items as Record<string, unknown>[];
  };

  it("matches accounts and groups literally", async () => {
    await s.svc.accounts.create(s.cli, { slug: "cotton", name: "100% cotton" });
    await s.svc.accounts.create(s.cli, { slug: "a-b", name: "Back\\slash a_b" });
    await s.svc.accounts.create(s.cli, { slug: "axb", name: "axb" });
    const names = async (q: string) =>
      (await search("/api/v1/accounts", q)).map((a) => a.name).sort();
    expect(await names("%")).toEqual(["100% cotton"]);
    expect(await names("a_b")).toEqual(["Back\\slash a_b"]);
    expect(await names("_")).toEqual(["Back\\slash a_b"]);
    expect(await names("\\")).toEqual(["Back\\slash a_b"]);
    expect(await names("AXB")).toEqual(["axb"]);
    await s.svc.groups.create(s.cli, { name: "ops_team", description: "" });
    await s.svc.groups.create(s.cli, { name: "opsxteam", description: "" });
    const groups = (await search("/api/v1/groups", "s_t")).map((g) => g.name);
    expect(groups).toEqual(["ops_team"]);
  });

  it("matches site names literally", async () => {
    const node = await s.svc.nodes.create(s.cli, {
      name: "like-node",
      agentUrl: "https://203.0.113.9:7443",
    });
    const site = (id: string, domain: string) =>
      insertSiteRows(s.svc.db.db, { id, account: w.a, node: node.id, domain });
    await site("site_like1", "shop-1.example");
    await site("site_like2", "shopx1.example");
    const found = async (q: string) =>
      (await search("/api/v1/sites", q)).map((x) => (x.domains as string[])[0]);
    // a search is the start of a name (an index range on site_domains)
    expect(await found("shop-1")).toEqual(["shop-1.example"]);
    expect(await found("p-1")).toEqual([]);
    expect(await found("%")).toEqual([]);
    expect(await found("shop_1")).toEqual([]);
  });

  it("filters audit actions by a literal prefix", async () => {
    const actions = async (action: string) => {
      const res = await s.request(
        "GET",
        `/api/v1/audit-events?action=${encodeURIComponent(action)}&limit=100`,
        { key: w.keys.super },
      );
      expect(res.status).toBe(200);
      return (res.body.items as { action: string }[]).map((e) => e.action);
    };
    expect(await actions("account.*")).toContain("account.create");
    // `_` is allowed in action names (the contract refuses `%`): it stands for itself
    expect(await actions("accoun_.*")).toEqual([]);
  });
});
