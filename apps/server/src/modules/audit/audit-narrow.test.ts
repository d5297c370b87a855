// A list narrowed to one account or actor shows what the caller may see of it, read along
// the walks the filter leaves (access/policies/audit.ts, narrowWalks): a reader its own
// actions in an account it does not administer, an admin another user's actions in its
// accounts, nobody else's.
import { dialects } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../lib/ids.ts";
import { buildWorld, type World } from "../../testing/fixtures.ts";
import { startTestServer } from "../../testing/harness.ts";
import { EVENT_ID, insertEvent } from "./repo.ts";

describe.each(dialects())("audit lists narrowed by a filter on %s", (dialect) => {
  let w: World;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    w = await buildWorld(await startTestServer(dialect));
    // the reader's API key acts in A and in B; the other admin in A
    const events: [string, string, string][] = [
      ["readerInA", w.keyIds.reader, w.a],
      ["readerInB", w.keyIds.reader, w.b],
      ["otherInA", w.keyIds.otherAdmin, w.a],
    ];
    for (const [name, actor, account] of events) {
      ids[name] = newId(EVENT_ID);
      await insertEvent(w.s.svc.db.db, {
        id: ids[name] as string,
        at: Date.now(),
        actor_type: "api_key",
        actor_id: actor,
        action: "site.update",
        account_id: account,
        outcome: "success",
      });
    }
  });
  afterAll(() => w?.s.close());

  const listed = async (key: string, query: string) => {
    const res = await w.s.request("GET", `/api/v1/audit-events?${query}&limit=200`, { key });
    expect(res.status).toBe(200);
    const mine = new Set(Object.values(ids));
    return (res.body.items as { id: string }[])
      .filter((e) => mine.has(e.id))
      .map((e) => Object.entries(ids).find(([, id]) => id === e.id)?.[0])
      .sort();
  };

  it("shows a reader its own actions in an account it only reads, and nobody else's", async () => {
    expect(await listed(w.keys.reader, `account=${w.a}`)).toEqual(["readerInA"]);
    expect(await listed(w.keys.reader, `account=${w.b}`)).toEqual(["readerInB"]);
    expect(await listed(w.keys.reader, `actor=${w.keyIds.reader}`)).toEqual([
      "readerInA",
      "readerInB",
    ]);
    expect(await listed(w.keys.reader, `actor=${w.keyIds.otherAdmin}`)).toEqual([]);
    expect(await listed(w.keys.reader, `account=${w.a}&actor=${w.keyIds.otherAdmin}`)).toEqual([]);
  });

  it("shows an admin another user's actions in its accounts only", async () => {
    expect(await listed(w.keys.accountAdmin, `actor=${w.keyIds.reader}`)).toEqual(["readerInA"]);
    expect(await listed(w.keys.accountAdmin, `account=${w.a}`)).toEqual(["otherInA", "readerInA"]);
    expect(await listed(w.keys.accountAdmin, `account=${w.b}`)).toEqual([]);
    expect(await listed(w.keys.super, `actor=${w.keyIds.reader}`)).toEqual([
      "readerInA",
      "readerInB",
    ]);
  });
});
