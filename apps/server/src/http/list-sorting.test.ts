// Sorted lists on both dialects: every sort key, both ways, paged two rows at a time through
// the cursors the API hands out, gives each row once and in order; what a non-super sees is
// sorted the same way; the default order (creation) is unchanged.
import { dialects } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWorld, type World } from "../testing/fixtures.ts";
import { startTestServer, type TestServer } from "../testing/harness.ts";
import { trustedNode } from "../testing/trusted-node.ts";

type Item = Record<string, unknown> & { id: string };

describe.each(dialects())("sorted lists on %s", (dialect) => {
  let s: TestServer;
  let w: World;
  let nodes: string[];
  /** the sites made here, in creation order */
  const sites: { id: string; name: string; node: string; account: string }[] = [];
  beforeAll(async () => {
    s = await startTestServer(dialect);
    w = await buildWorld(s);
    nodes = [await trustedNode(s, "web2"), await trustedNode(s, "web1")];
    const made = [
      ["delta.example", 0, w.a],
      ["alpha.example", 1, w.b],
      ["echo.example", 0, w.a],
      ["charlie.example", 1, w.a],
      ["bravo.example", 0, w.b],
    ] as const;
    for (const [name, node, account] of made) {
      const body = { node: nodes[node], domains: [name], kind: "static", account };
      const res = await s.request("POST", "/api/v1/sites", { key: w.keys.super, body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      sites.push({ id: res.body.id, name, node: nodes[node] as string, account });
    }
    await s.svc.db.db
      .updateTable("sites")
      .set({ status: "failed" })
      .where("id", "in", [sites[0]?.id ?? "", sites[3]?.id ?? ""])
      .execute();
  });
  afterAll(() => s?.close());

  /** Every item of a list, two at a time through its cursors. */
  async function walk(path: string, key = w.keys.super): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | null = "";
    for (let pages = 0; cursor !== null && pages < 50; pages++) {
      const sep = path.includes("?") ? "&" : "?";
      const res = await s.request("GET", `${path}${sep}limit=2&cursor=${cursor}`, { key });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    }
    return items;
  }
  const names = (items: Item[]) => items.map((item) => (item.domains as string[])[0]);
  const sorted = (values: string[], desc = false) => {
    const out = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return desc ? out.reverse() : out;
  };

  it("sorts sites by name, creation, status and node, both ways, a page at a time", async () => {
    const all = sites.map((site) => site.name);
    expect(names(await walk("/api/v1/sites?sort=name"))).toEqual(sorted(all));
    expect(names(await walk("/api/v1/sites?sort=-name"))).toEqual(sorted(all, true));
    expect(names(await walk("/api/v1/sites"))).toEqual(all);
    expect(names(await walk("/api/v1/sites?sort=createdAt"))).toEqual(all);
    expect(names(await walk("/api/v1/sites?sort=-createdAt"))).toEqual([...all].reverse());
    for (const [sort, field] of [
      ["status", "status"],
      ["node", "nodeId"],
    ] as const) {
      for (const desc of [false, true]) {
        const items = await walk(`/api/v1/sites?sort=${desc ? "-" : ""}${sort}`);
        const byKey = items.map((item) => `${item[field]} ${item.id}`);
        expect(byKey).toEqual(sorted(byKey, desc));
        expect(items).toHaveLength(sites.length);
      }
    }
  });

  it("sorts what a non-super sees, and filters and search keep the order", async () => {
    const inA = sites.filter((site) => site.account === w.a).map((site) => site.name);
    const reader = await walk("/api/v1/sites?sort=-name", w.keys.reader);
    expect(names(reader)).toEqual(sorted(inA, true));
    const onWeb2 = sites.filter((site) => site.node === nodes[0]).map((site) => site.name);
    expect(names(await walk(`/api/v1/sites?node=${nodes[0]}&sort=name`))).toEqual(sorted(onWeb2));
    expect(names(await walk("/api/v1/sites?status=failed&sort=-name"))).toEqual([
      "delta.example",
      "charlie.example",
    ]);
    // search: the start of a name
    expect(names(await walk("/api/v1/sites?q=Ch&sort=name"))).toEqual(["charlie.example"]);
    expect(names(await walk("/api/v1/sites?q=example"))).toEqual([]);
    // a search by a non-super: only the sites it sees (alpha is in the other account)
    expect(names(await walk("/api/v1/sites?q=a", w.keys.super))).toEqual(["alpha.example"]);
    expect(names(await walk("/api/v1/sites?q=a", w.keys.reader))).toEqual([]);
    expect(names(await walk("/api/v1/sites?q=c&sort=-name", w.keys.reader))).toEqual([
      "charlie.example",
    ]);
  });

  it("sorts nodes by name, state and last heartbeat (never seen: oldest)", async () => {
    const [web2, web1] = nodes as [string, string];
    await s.svc.db.db
      .updateTable("nodes")
      .set({ last_seen_at: 1_000 })
      .where("id", "=", web1)
      .execute();
    await s.svc.db.db
      .updateTable("nodes")
      .set({ last_seen_at: null })
      .where("id", "=", web2)
      .execute();
    const ids = (items: Item[]) => items.map((item) => item.id);
    expect(ids(await walk("/api/v1/nodes?sort=name"))).toEqual([web1, web2]);
    expect(ids(await walk("/api/v1/nodes?sort=-name"))).toEqual([web2, web1]);
    expect(ids(await walk("/api/v1/nodes?sort=-lastSeenAt"))).toEqual([web1, web2]);
    expect(ids(await walk("/api/v1/nodes?sort=lastSeenAt"))).toEqual([web2, web1]);
    expect(ids(await walk("/api/v1/nodes?sort=state"))).toHaveLength(2);
  });

  it("sorts accounts, users and groups by name (and email), both ways", async () => {
    for (const name of ["Zulu", "Mike"])
      await s.svc.accounts.create(s.cli, { slug: name.toLowerCase(), name });
    await s.svc.groups.create(s.cli, { name: "admins-b", description: "" });
    for (const [path, field] of [
      ["/api/v1/accounts", "name"],
      ["/api/v1/users", "email"],
      ["/api/v1/users", "name"],
      ["/api/v1/groups", "name"],
    ] as const) {
      const all = (await walk(path)).map((item) => `${item[field]}`);
      expect(all.length, path).toBeGreaterThan(2);
      for (const desc of [false, true]) {
        const items = await walk(`${path}?sort=${desc ? "-" : ""}${field}`);
        // names sort regardless of case
        const values = items.map((item) =>
          field === "name" ? `${item[field]}`.toLowerCase() : `${item[field]}`,
        );
        // names may repeat (users'): then the id decides; each row comes once
        expect(values).toEqual(sorted(values, desc));
        expect(sorted(values)).toEqual(
          sorted(all.map((v) => (field === "name" ? v.toLowerCase() : v))),
        );
        expect(new Set(items.map((item) => item.id)).size).toBe(items.length);
      }
    }
    const reader = await walk("/api/v1/accounts?sort=-name", w.keys.otherAdmin);
    expect(reader.map((item) => item.id)).toEqual([w.b]);
  });
});
