// The events API on both databases: who sees which events (an account's to its members,
// installation-level ones to super users only, nothing of another account), each filter,
// keyset pages; recording in the caller's transaction (a rolled-back change leaves no event, a
// producer's wrong fields are refused), listeners woken after commit, pruning in batches.
import { dialects } from "@steward/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { mixedEvent } from "../../testing/events.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { EventFieldsError, recordEvent, subscribeEvents } from "./record.ts";
import { eventsAfter, pruneEvents } from "./repo.ts";

interface Listed {
  id: string;
  type: string;
  severity: string;
  accountId: string | null;
  accountName: string | null;
}

describe.each(dialects())("events API on %s", (dialect) => {
  const s = useServer(dialect);
  const w = useWorld(s);
  const ids: Record<"a" | "b" | "none", string[]> = { a: [], b: [], none: [] };
  beforeAll(async () => {
    const k = s.svc.db.db;
    for (let i = 0; i < 6; i++) {
      ids.a.push(await mixedEvent(k, w.a, i));
      ids.b.push(await mixedEvent(k, w.b, i));
      ids.none.push(await mixedEvent(k, null, i));
    }
  });
  const list = async (key: string, query = "") => {
    const res = await s.request("GET", `/api/v1/events${query}`, { key });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { items: Listed[]; nextCursor: string | null };
  };
  const idsOf = (page: { items: Listed[] }) => page.items.map((e) => e.id);
  const newestFirst = (...groups: string[][]) => groups.flat().sort().reverse();

  it("shows each actor what it may see, newest first, named", async () => {
    expect(idsOf(await list(w.keys.super, "?limit=100"))).toEqual(
      newestFirst(ids.a, ids.b, ids.none),
    );
    for (const who of ["accountAdmin", "reader"] as const)
      expect(idsOf(await list(w.keys[who], "?limit=100"))).toEqual(newestFirst(ids.a));
    expect(idsOf(await list(w.keys.otherAdmin, "?limit=100"))).toEqual(newestFirst(ids.b));
    expect(idsOf(await list(w.keys.noGrant))).toEqual([]);
    // another account's filter shows nothing of it, and says nothing either
    expect(idsOf(await list(w.keys.accountAdmin, `?account=${w.b}`))).toEqual([]);
    const [first] = (await list(w.keys.reader, "?limit=1")).items;
    expect(first).toMatchObject({ accountId: w.a, accountName: "Account acc-a" });
  });

  it("reads one event for who may see it; for anyone else it does not exist", async () => {
    const [inA] = ids.a;
    const [installation] = ids.none;
    const get = (id: string | undefined, key: string) =>
      s.request("GET", `/api/v1/events/${id}`, { key });
    expect((await get(inA, w.keys.reader)).body).toMatchObject({
      id: inA,
      type: "site.failed",
      title: "Site failed",
      target: { type: "site", name: "e0.example.com" },
      fields: { domain: "e0.example.com", nodeName: null, error: "test" },
    });
    for (const [id, key] of [
      [inA, w.keys.otherAdmin],
      [inA, w.keys.noGrant],
      [installation, w.keys.accountAdmin],
    ] as const) {
      const res = await get(id, key);
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain(w.a);
    }
    expect((await get(installation, w.keys.super)).status).toBe(200);
  });

  it("filters by type or prefix, least severity, outcome, account, target and time", async () => {
    const types = async (query: string, key = w.keys.super) =>
      new Set((await list(key, `${query}&limit=100`)).items.map((e) => e.type));
    expect(await types("?type=task.")).toEqual(new Set(["task.failed"]));
    expect(await types("?type=site.failed")).toEqual(new Set(["site.failed"]));
    expect(await types("?severity=critical")).toEqual(new Set(["site.failed", "task.failed"]));
    expect(await types("?severity=info")).toEqual(
      new Set(["site.failed", "task.failed", "notification.test"]),
    );
    expect(await types("?outcome=none")).toEqual(new Set(["notification.test"]));
    expect(await types("?targetType=task", w.keys.accountAdmin)).toEqual(new Set(["task.failed"]));
    const inB = await list(w.keys.super, `?account=${w.b}&severity=warning&limit=100`);
    expect(idsOf(inB)).toEqual(newestFirst(ids.b.filter((_, i) => i % 3 !== 2)));
    const target = await list(w.keys.reader, "?target=tsk_1");
    expect(target.items.map((e) => e.accountId)).toEqual([w.a]);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(idsOf(await list(w.keys.super, `?from=${future}`))).toEqual([]);
    expect(idsOf(await list(w.keys.super, `?to=${future}&account=${w.a}&limit=100`))).toEqual(
      newestFirst(ids.a),
    );
  });

  it("pages by cursor, each event once", async () => {
    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page = await list(w.keys.accountAdmin, `?limit=4${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...idsOf(page));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(newestFirst(ids.a));
  });

  it("records in the caller's transaction: a rollback leaves none, wrong fields are refused", async () => {
    const k = s.svc.db.db;
    const count = async () =>
      Number(
        (
          await k
            .selectFrom("events")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirst()
        )?.n,
      );
    const before = await count();
    await expect(
      k.transaction().execute(async (trx) => {
        await recordEvent(trx, {
          type: "notification.test",
          accountId: w.a,
          target: null,
          summary: "rolled back",
          fields: { channelName: null, requestedBy: null },
        });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    const wrong = k.transaction().execute((trx) =>
      recordEvent(trx, {
        type: "node.reachable",
        accountId: null,
        target: null,
        summary: "a producer's bug",
        fields: { nodeId: "nod_1", nodeName: "web-1", downtimeSeconds: "long" },
      }),
    );
    await expect(wrong).rejects.toThrow(EventFieldsError);
    await expect(wrong).rejects.toThrow(/fields\.downtimeSeconds/);
    expect(await count()).toBe(before);
  });

  it("wakes a listener once an event is committed", async () => {
    const listenUrl = dialect === "postgres" ? s.svc.settings.databaseUrl : undefined;
    const heard: (string | null)[] = [];
    const sub = subscribeEvents((id) => heard.push(id), { listenUrl });
    await sub.ready();
    try {
      const id = await mixedEvent(s.svc.db.db, w.a, 2);
      await expect.poll(() => heard.includes(id), { timeout: 10_000 }).toBe(true);
    } finally {
      await sub.close();
    }
  });

  it("reads the outbox after a cursor, oldest first", async () => {
    const k = s.svc.db.db;
    const [first, second, third] = [...ids.a, ...ids.b, ...ids.none].sort();
    const after = await eventsAfter(k, first ?? "", 2);
    expect(after.map((e) => e.id)).toEqual([second, third]);
  });

  it("prunes events made before a time, in batches", async () => {
    const k = s.svc.db.db;
    const left = async () => (await k.selectFrom("events").select("id").execute()).length;
    expect(await left()).toBeGreaterThan(5);
    expect(await pruneEvents(k, 0, 2)).toBe(0);
    const all = await left();
    expect(await pruneEvents(k, Date.now() + 60_000, 2)).toBe(all);
    expect(await left()).toBe(0);
  });
});
