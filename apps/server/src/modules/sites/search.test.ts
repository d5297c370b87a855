// The sites search (`?q=`, the start of any of a site's names) both ways SQLite is asked
// (repo.ts, NAMES_LISTED): a text few names start with (the sites read into a list) and one
// that more than NAMES_LISTED names start with (each site probed as the walk passes it); on
// PostgreSQL (always the list) the same answers. As a super user (one walk) and an account
// admin (the account's walk): every page in order, each site once though two of its names
// match, nothing of another account.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { insertSiteRows } from "../../testing/site-rows.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { NAMES_LISTED } from "./repo.ts";

describe.each(dialects())("the sites search on %s", (dialect) => {
  const s = useServer(dialect);
  const w = useWorld(s);

  const walk = async (query: string, key: string) => {
    const seen: string[] = [];
    let cursor = "";
    for (let i = 0; i < 50; i++) {
      const res = await s.request("GET", `/api/v1/sites?${query}&limit=40${cursor}`, { key });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      seen.push(...(res.body.items as { domains: string[] }[]).map((x) => x.domains[0] ?? ""));
      if (!res.body.nextCursor) return seen;
      cursor = `&cursor=${encodeURIComponent(res.body.nextCursor)}`;
    }
    throw new Error("more than 50 pages");
  };

  it("finds the same sites whether few or many names start with the text", async () => {
    const node = await s.svc.nodes.create(s.cli, {
      name: "search-node",
      agentUrl: "https://203.0.113.9:7443",
    });
    const made: { id: string; account: string; domain: string }[] = [];
    const site = async (account: string, domain: string, aliases: string[]) => {
      const id = `site_search${String(made.length).padStart(4, "0")}`;
      await insertSiteRows(s.svc.db.db, { id, account, node: node.id, domain, aliases });
      made.push({ id, account, domain });
    };
    // ids in the opposite order of the names: the name sort is not the id sort
    for (let i = 119; i >= 0; i--) {
      const n = String(i).padStart(3, "0");
      await site(i % 3 === 0 ? w.b : w.a, `shop-${n}.example`, [`shop-${n}.alias`]);
    }
    for (const n of ["1", "2", "3"])
      await site(w.a, `blog-${n}.example`, [`www.blog-${n}.example`]);
    // 240 names start with "shop-", 3 with "blog-": both ways
    expect(made.length * 2 - 6).toBeGreaterThan(NAMES_LISTED);

    const expected = (text: string, accounts: string[], byName: boolean) => {
      const rows = made.filter((m) => m.domain.startsWith(text) && accounts.includes(m.account));
      return rows
        .sort((x, y) => (byName ? x.domain.localeCompare(y.domain) : x.id.localeCompare(y.id)))
        .map((m) => m.domain);
    };
    for (const text of ["shop-", "shop-11", "blog-", "SHOP-00"]) {
      const lower = text.toLowerCase();
      const q = `q=${encodeURIComponent(text)}`;
      expect(await walk(q, w.keys.super), text).toEqual(expected(lower, [w.a, w.b], false));
      expect(await walk(`${q}&sort=name`, w.keys.super), text).toEqual(
        expected(lower, [w.a, w.b], true),
      );
      expect(await walk(`${q}&sort=-name`, w.keys.super), text).toEqual(
        expected(lower, [w.a, w.b], true).reverse(),
      );
      expect(await walk(q, w.keys.accountAdmin), text).toEqual(expected(lower, [w.a], false));
      expect(await walk(`${q}&sort=name`, w.keys.reader), text).toEqual(
        expected(lower, [w.a], true),
      );
    }
    // the alias matches, the site comes once
    expect(await walk("q=shop-007.a", w.keys.super)).toEqual(["shop-007.example"]);
    expect(await walk("q=nothing", w.keys.super)).toEqual([]);
  });
});
