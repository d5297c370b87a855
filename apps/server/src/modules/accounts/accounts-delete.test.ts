// Deleting an account through the real API on both dialects: one that still owns sites (and
// their tasks) is refused with a 409 counting each kind, and nothing changes; an empty one
// goes. The foreign keys of migration 007 hold the same rule in the database itself.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { useServer, useWorld } from "../../testing/use-server.ts";

describe.each(dialects())("deleting accounts on %s", (dialect) => {
  const s = useServer(dialect);
  const w = useWorld(s, { trustedNode: "acc-del" });

  const del = (id: string) => s.request("DELETE", `/api/v1/accounts/${id}`, { key: w.keys.super });

  it("refuses an account that owns sites, counting each kind, and changes nothing", async () => {
    const account = await w.mirrorOfA(); // with grants on it, which must survive the refusal
    for (const name of ["one", "two", "three"]) {
      const res = await s.request("POST", "/api/v1/sites", {
        key: w.keys.super,
        body: { node: w.node, account, kind: "static", domains: [`${name}-${w.unique()}.example`] },
      });
      expect(res.status).toBe(201);
    }
    const grantsBefore = await s.svc.db.db
      .selectFrom("grants")
      .selectAll()
      .where("scope_id", "=", account)
      .execute();
    expect(grantsBefore.length).toBeGreaterThan(0);
    const res = await del(account);
    expect(res.status).toBe(409);
    // no worker runs here: each site's apply task is still queued
    expect(res.body.error.message).toMatch(/still owns resources \(sites: 3, tasks: 3\)/);
    expect(res.body.error.details).toEqual([
      { field: "sites", message: "3 owned by the account" },
      { field: "tasks", message: "3 owned by the account" },
    ]);
    expect(
      (await s.request("GET", `/api/v1/accounts/${account}`, { key: w.keys.super })).status,
    ).toBe(200);
    const grantsAfter = await s.svc.db.db
      .selectFrom("grants")
      .selectAll()
      .where("scope_id", "=", account)
      .execute();
    expect(grantsAfter).toEqual(grantsBefore);
    const sites = await s.request("GET", `/api/v1/sites?account=${account}`, { key: w.keys.super });
    expect(sites.body.items).toHaveLength(3);
  });

  it("refuses an account that owns other kinds too (a status page, a backup destination)", async () => {
    const account = await w.mirrorOfA();
    const page = await s.request("POST", "/api/v1/status-pages", {
      key: w.keys.super,
      body: { account, slug: `st-${w.unique()}`.toLowerCase(), title: "Status" },
    });
    expect(page.status, JSON.stringify(page.body)).toBe(201);
    const dest = await s.request("POST", "/api/v1/backup-destinations", {
      key: w.keys.super,
      body: {
        name: "disk",
        accountId: account,
        settings: { kind: "local", nodeId: w.node, path: "/srv/backups" },
        saveAnyway: true,
      },
    });
    expect(dest.status, JSON.stringify(dest.body)).toBe(201);
    const res = await del(account);
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual([
      { field: "backupDestinations", message: "1 owned by the account" },
      { field: "statusPages", message: "1 owned by the account" },
    ]);
    expect(
      (await s.request("DELETE", `/api/v1/status-pages/${page.body.id}`, { key: w.keys.super }))
        .status,
    ).toBe(204);
    expect(
      (
        await s.request("DELETE", `/api/v1/backup-destinations/${dest.body.id}`, {
          key: w.keys.super,
        })
      ).status,
    ).toBe(204);
    expect((await del(account)).status).toBe(204);
  });

  it("deletes an account that owns nothing", async () => {
    const account = await w.mirrorOfA();
    expect((await del(account)).status).toBe(204);
    expect(
      (await s.request("GET", `/api/v1/accounts/${account}`, { key: w.keys.super })).status,
    ).toBe(404);
  });
});
