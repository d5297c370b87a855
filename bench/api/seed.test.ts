// A smoke test of bench:api's seeder: 200 rows of each into a real API's database, then the
// API lists them as seeded, for each actor (SQLite here; the bench itself runs both dialects).
import { startTestServer, type TestServer } from "@steward/server/testing/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ActorName, ADMIN_ACCOUNTS, createUsers, grantAccess, type Users } from "./access.ts";
import { seedBulk } from "./seed.ts";

const N = 200;
const SITES = 500; // 10 accounts: the admin manages 5 of them, the none user reads one

describe("bench:api seeder", () => {
  let s: TestServer;
  let users: Users;
  let accounts: string[];
  const cookies: Partial<Record<ActorName, string>> = {};
  const get = (actor: ActorName, path: string) =>
    s.request("GET", path, { cookie: cookies[actor] ?? "" });

  beforeAll(async () => {
    s = await startTestServer("sqlite");
    const seeding = { db: s.svc.db, svc: s.svc, ctx: s.cli, close: async () => {} };
    users = await createUsers(seeding);
    const db = s.svc.db.db as unknown as Parameters<typeof seedBulk>[0];
    const rows = await seedBulk(
      db,
      "sqlite",
      { sites: SITES, tasks: N, audit: N },
      Object.values(users),
    );
    expect(rows).toMatchObject({
      accounts: 10,
      sites: SITES,
      apps: SITES / 5,
      tasks: N,
      audit_events: N,
    });
    accounts = await grantAccess(seeding, users);
    for (const actor of ["super", "admin", "none"] as const)
      cookies[actor] = await s.signIn(users[actor].email);
  });
  afterAll(() => s?.close());

  it("lists the sites with their names, and a deep page through the seeded ids", async () => {
    const page1 = await get("super", "/api/v1/sites?limit=150");
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(150);
    const page2 = await get("super", `/api/v1/sites?limit=150&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items).toHaveLength(150);
    const ids = (p: typeof page1) => p.body.items.map((x: { id: string }) => x.id);
    expect(new Set([...ids(page1), ...ids(page2)]).size).toBe(300);
    const site = page1.body.items[0];
    expect(site.domains[0]).toMatch(/^site-\d+\.example\.test$/);
    const failed = await get("super", "/api/v1/sites?status=failed&limit=200");
    expect(failed.body.items).toHaveLength(SITES / 20);
  });

  it("lists tasks by state and kind, titled after the sites they target", async () => {
    const failed = await get("super", "/api/v1/tasks?state=failed&limit=200");
    expect(failed.status).toBe(200);
    expect(failed.body.items.length).toBeGreaterThan(0);
    expect(failed.body.items.every((t: { state: string }) => t.state === "failed")).toBe(true);
    const applies = await get("super", "/api/v1/tasks?kind=site.apply&limit=200");
    const apply = applies.body.items[0];
    expect(apply.title).toMatch(/^apply site site-\d+\.example\.test$/);
    const target = await get("super", `/api/v1/tasks?target=site:${apply.targetId}&limit=200`);
    expect(target.body.items.map((t: { id: string }) => t.id)).toContain(apply.id);
  });

  it("lists the apps by status, source, node and name, a page at a time", async () => {
    const page1 = await get("super", "/api/v1/apps?limit=50");
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(50);
    const page2 = await get("super", `/api/v1/apps?limit=50&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items).toHaveLength(SITES / 5 - 50);
    const failed = await get("super", "/api/v1/apps?status=failed&limit=200");
    expect(failed.body.items).toHaveLength(SITES / 5 / 10);
    const git = await get("super", "/api/v1/apps?source=git&limit=200");
    expect(git.body.items.every((a: { source: string }) => a.source === "git")).toBe(true);
    const node = page1.body.items[0].nodeId;
    const onNode = await get("super", `/api/v1/apps?node=${node}&q=app-1&limit=200`);
    expect(onNode.body.items.length).toBeGreaterThan(0);
    expect(
      onNode.body.items.every(
        (a: { nodeId: string; name: string }) => a.nodeId === node && a.name.includes("app-1"),
      ),
    ).toBe(true);
  });

  it("shows the admin only its accounts' rows and the none user one account's", async () => {
    const mine = new Set(accounts);
    expect(accounts).toHaveLength(ADMIN_ACCOUNTS);
    const sites = await get("admin", "/api/v1/sites?limit=200");
    expect(sites.body.items).toHaveLength(200);
    expect(sites.body.items.every((x: { accountId: string }) => mine.has(x.accountId))).toBe(true);
    const none = await get("none", "/api/v1/sites?limit=200");
    expect(new Set(none.body.items.map((x: { accountId: string }) => x.accountId))).toEqual(
      new Set([accounts[0]]),
    );
    expect(none.body.items).toHaveLength(SITES / 10);
    expect((await get("none", "/api/v1/nodes")).status).toBe(403);
  });

  it("lists audit events by outcome, denied ones included", async () => {
    const denied = await get("super", "/api/v1/audit-events?outcome=denied&limit=200");
    expect(denied.status).toBe(200);
    expect(denied.body.items).toHaveLength(N * 0.04);
    const byAdmin = await get("super", `/api/v1/audit-events?actor=${users.admin.email}&limit=200`);
    expect(byAdmin.body.items.length).toBeGreaterThan(0);
  });
});
