// The dispatcher at scale and across a stop, on both databases with the real engine: a burst
// of events through two rules to webhook channels, all delivered, in order per rule, grouped
// where the rule says so (bench/notifications runs 1,000); a dispatcher that fails between
// recording deliveries and moving its cursor leaves nothing, and the next sends each once; a
// retry keeps the rule's order; a dispatcher behind by more than a group's window still
// makes one digest of the window.
import { dialects } from "@steward/testkit";
import pino from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import {
  addRule,
  deliveriesOf,
  failingFirst,
  hooks,
  siteEvent,
  siteFailed,
  until,
  webhookChannel,
} from "../../../testing/dispatch.ts";
import { useServer, useWorld } from "../../../testing/use-server.ts";
import { recordEvent } from "../../events/record.ts";
import { eventsByIds } from "../../events/repo.ts";
import { useFake } from "../channels/fakes/use-fake.ts";
import { createDispatcher, defaultDispatcherOptions } from "./dispatcher.ts";

const fake = useFake(failingFirst("retry"));
const BURST = 200;
const indexOf = (text: string) => Number(/f(\d+)\.example\.com/.exec(text)?.[1]);

describe.each(dialects())("dispatch at scale on %s", (dialect) => {
  const s = useServer(dialect, { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  beforeAll(() => {
    s.svc.engine.startWorker();
    s.svc.dispatcher.start();
  });

  /** An event recorded in a transaction left open until `commit()` (`madeAt`: its id exists). */
  function holdOpen(domain: string) {
    let commit = () => {};
    const open = new Promise<void>((resolve) => {
      commit = resolve;
    });
    const held = { madeAt: 0, commit: () => commit(), done: Promise.resolve("") };
    held.done = s.svc.db.db.transaction().execute(async (trx) => {
      const id = await recordEvent(trx, siteEvent(w.a, domain));
      held.madeAt = Date.now();
      await open;
      return id;
    });
    return held;
  }

  const allSent = (rule: string, count: number) =>
    until(async () => {
      const done = await deliveriesOf(s, "rule_id", rule);
      return done.length === count && done.every((d) => d.state === "sent");
    });

  let attempt = 0;
  it("delivers a burst through two rules, in order per rule, grouped where asked", async () => {
    // a retry's channels are its own (the names are unique in the account)
    const tag = `${dialect}-${++attempt}`;
    const each = await webhookChannel(s, w.keys.accountAdmin, w.a, `each-${tag}`, fake);
    const grouped = await webhookChannel(s, w.keys.accountAdmin, w.a, `grouped-${tag}`, fake);
    const one = await addRule(s, w.a, { eventTypes: ["site.failed"] }, [each]);
    const digest = await addRule(s, w.a, { eventTypes: ["site."], groupSeconds: 3 }, [grouped]);
    const ids: [string, number][] = [];
    for (let i = 0; i < BURST; i++)
      ids.push([await siteFailed(s, w.a, `f${i}.example.com`, `nod_${i % 4}`), i]);
    // on a loaded machine a burst takes long: a failure says how far it got
    const started = Date.now();
    await until(async () => {
      const done = await deliveriesOf(s, "rule_id", one);
      return done.length === BURST && done.every((d) => d.state === "sent");
    }, 240_000).catch(async (error: Error) => {
      const states: Record<string, number> = {};
      for (const d of await deliveriesOf(s, "rule_id", one))
        states[d.state] = (states[d.state] ?? 0) + 1;
      throw new Error(
        `after ${Date.now() - started} ms, deliveries of ${BURST} events: ${JSON.stringify(states)}, webhooks received ${hooks(fake, `each-${tag}`).length}; ${error.message}`,
      );
    });
    const order = hooks(fake, `each-${tag}`).map((h) => indexOf(h.subject));
    // the outbox's order: ids made within one millisecond are in no particular order
    expect(order).toEqual(ids.sort(([x], [y]) => (x < y ? -1 : 1)).map(([, i]) => i));
    await until(async () =>
      (await deliveriesOf(s, "rule_id", digest)).every((d) => d.state === "sent"),
    );
    const digests = await deliveriesOf(s, "rule_id", digest);
    expect(digests.reduce((n, d) => n + d.event_count, 0)).toBe(BURST);
    expect(new Set(digests.map((d) => d.group_key)).size).toBe(4);
    expect(hooks(fake, `grouped-${tag}`)).toHaveLength(digests.length);
    expect(fake.problems).toEqual([]);
  }, 300_000);

  it("loses nothing and sends nothing twice when a dispatcher stops between", async () => {
    const ch = await webhookChannel(s, w.keys.accountAdmin, w.a, `crash-${dialect}`, fake);
    const rule = await addRule(
      s,
      w.a,
      { eventTypes: ["site."], scope: { targetType: "site", targetId: "sit_crash.example.com" } },
      [ch],
    );
    await s.svc.dispatcher.stop();
    let calls = 0;
    const crashing = createDispatcher({
      db: s.svc.db,
      rules: s.svc.ruleCache,
      log: pino({ level: "silent" }),
      // the process dies after recording one delivery, before the cursor moves
      enqueue: async (spec, trx) => {
        if (++calls > 1) throw new Error("the panel stopped");
        return s.svc.engine.enqueue(spec, trx);
      },
    });
    for (let i = 0; i < 3; i++) await siteFailed(s, w.a, "crash.example.com");
    // an event of this very millisecond waits for the next batch (the dispatcher's horizon)
    for (let i = 0; i < 100 && calls < 2; i++) {
      await crashing.drain();
      if (calls < 2) await new Promise((r) => setTimeout(r, 5));
    }
    await crashing.stop();
    expect(calls).toBe(2);
    expect(await deliveriesOf(s, "rule_id", rule)).toEqual([]);
    s.svc.dispatcher.start();
    await until(async () => {
      const done = await deliveriesOf(s, "rule_id", rule);
      return done.length === 3 && done.every((d) => d.state === "sent");
    });
    await s.svc.dispatcher.drain();
    expect(await deliveriesOf(s, "rule_id", rule)).toHaveLength(3);
    expect(hooks(fake, `crash-${dialect}`)).toHaveLength(3);
  });

  it("keeps a rule's order when one delivery needs a retry", async () => {
    const ch = await webhookChannel(s, w.keys.accountAdmin, w.a, `retry-${dialect}`, fake);
    const rule = await addRule(s, w.a, { eventTypes: ["site.failed"] }, [ch]);
    const ids: [string, number][] = [];
    for (let i = 0; i < 6; i++) ids.push([await siteFailed(s, w.a, `f${i}.example.com`), i]);
    await allSent(rule, 6);
    const sorted = ids.sort(([x], [y]) => (x < y ? -1 : 1)).map(([, i]) => i);
    // the first is refused (500) and retried after its backoff; only then do the others go
    const order = hooks(fake, `retry-${dialect}`).map((h) => indexOf(h.subject));
    expect(order).toEqual([sorted[0], ...sorted]);
    expect((await deliveriesOf(s, "rule_id", rule)).map((d) => d.attempts)).toEqual([
      2, 1, 1, 1, 1, 1,
    ]);
  });

  it("makes one digest of a window when the dispatcher is behind by more than it", async () => {
    const ch = await webhookChannel(s, w.keys.accountAdmin, w.a, `behind-${dialect}`, fake);
    const rule = await addRule(s, w.a, { eventTypes: ["site.failed"], groupSeconds: 1 }, [ch]);
    await s.svc.dispatcher.stop();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++)
      ids.push(await siteFailed(s, w.a, `b${i}.example.com`, `nod_b${i % 2}`));
    const events = await eventsByIds(s.svc.db.db, ids);
    const last = Math.max(...events.map((e) => Number(e.created_at)));
    // every window is over before the dispatcher reads the first event
    await until(() => Date.now() > last + 2_000);
    s.svc.dispatcher.start();
    await until(async () => {
      const done = await deliveriesOf(s, "rule_id", rule);
      return done.length > 0 && done.every((d) => d.state === "sent");
    });
    const digests = await deliveriesOf(s, "rule_id", rule);
    // per node, a window opens at an event past the last window's end (as when on time)
    const windows = new Map<string, number>();
    let expected = 0;
    for (const e of events) {
      const at = Number(e.created_at);
      if (at < (windows.get(e.group_key ?? "") ?? 0)) continue;
      windows.set(e.group_key ?? "", at + 1_000);
      expected++;
    }
    expect(digests).toHaveLength(expected);
    expect(digests.reduce((n, d) => n + d.event_count, 0)).toBe(20);
    expect(hooks(fake, `behind-${dialect}`)).toHaveLength(expected);
  });

  it("takes an event whose transaction commits more than its lag after the event was made", async () => {
    const ch = await webhookChannel(s, w.keys.accountAdmin, w.a, `late-${dialect}`, fake);
    const rule = await addRule(s, w.a, { eventTypes: ["site.failed"] }, [ch]);
    const late = holdOpen("late.example.com");
    await until(() => late.madeAt > 0);
    // a later event commits first and the dispatcher moves its cursor past the late one (on
    // SQLite it waits for the one connection: one writer commits before another writes)
    const later = siteFailed(s, w.a, "later.example.com");
    if (dialect === "postgres")
      await until(async () => (await deliveriesOf(s, "rule_id", rule)).length === 1);
    await until(() => Date.now() > late.madeAt + defaultDispatcherOptions.lagMs + 1_500, 20_000);
    late.commit();
    await Promise.all([late.done, later]);
    await allSent(rule, 2);
    const subjects = hooks(fake, `late-${dialect}`).map((h) => h.subject);
    expect(subjects.some((t) => t.includes("late.example.com"))).toBe(true);
  });

  it("plans an event committing a little late before a later one committed first", async () => {
    const ch = await webhookChannel(s, w.keys.accountAdmin, w.a, `commits-${dialect}`, fake);
    const rule = await addRule(s, w.a, { eventTypes: ["site.failed"] }, [ch]);
    const first = holdOpen("first.example.com");
    await until(() => first.madeAt > 0);
    // on SQLite the later one waits for the one connection; on PostgreSQL it commits first
    const later = siteFailed(s, w.a, "second.example.com");
    if (dialect === "postgres") {
      await later;
      await s.svc.dispatcher.drain(); // a batch ran with the later one committed, the first not
    }
    first.commit();
    await Promise.all([first.done, later]);
    await allSent(rule, 2);
    const subjects = hooks(fake, `commits-${dialect}`).map((h) => h.subject);
    expect(subjects.map((t) => (t.includes("first.example.com") ? 1 : 2))).toEqual([1, 2]);
  });
});
