// The dispatcher at scale and across a stop, on both databases with the real engine: a burst
// of events through two rules to webhook channels, all delivered, in order per rule, grouped
// where the rule says so (bench/notifications runs 1,000); a dispatcher that fails between
// recording deliveries and moving its cursor leaves nothing, and the next sends each once.
import { dialects } from "@steward/testkit";
import pino from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import {
  addRule,
  deliveriesOf,
  HOOK_SECRET,
  hooks,
  siteFailed,
  until,
  webhookChannel,
} from "../../../testing/dispatch.ts";
import { useServer, useWorld } from "../../../testing/use-server.ts";
import { useFake } from "../channels/fakes/use-fake.ts";
import { webhookFake } from "../channels/fakes/webhook.ts";
import { createDispatcher } from "./dispatcher.ts";

const fake = useFake(webhookFake(HOOK_SECRET));
const BURST = 200;
const indexOf = (text: string) => Number(/f(\d+)\.example\.com/.exec(text)?.[1]);

describe.each(dialects())("dispatch at scale on %s", (dialect) => {
  const s = useServer(dialect, { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  beforeAll(() => {
    s.svc.engine.startWorker();
    s.svc.dispatcher.start();
  });

  it("delivers a burst through two rules, in order per rule, grouped where asked", async () => {
    const each = await webhookChannel(s, w.keys.accountAdmin, w.a, `each-${dialect}`, fake);
    const grouped = await webhookChannel(s, w.keys.accountAdmin, w.a, `grouped-${dialect}`, fake);
    const one = await addRule(s, w.a, { eventTypes: ["site.failed"] }, [each]);
    const digest = await addRule(s, w.a, { eventTypes: ["site."], groupSeconds: 3 }, [grouped]);
    const ids: [string, number][] = [];
    for (let i = 0; i < BURST; i++)
      ids.push([await siteFailed(s, w.a, `f${i}.example.com`, `nod_${i % 4}`), i]);
    await until(async () => {
      const done = await deliveriesOf(s, "rule_id", one);
      return done.length === BURST && done.every((d) => d.state === "sent");
    }, 120_000);
    const order = hooks(fake, `each-${dialect}`).map((h) => indexOf(h.subject));
    // the outbox's order: ids made within one millisecond are in no particular order
    expect(order).toEqual(ids.sort(([x], [y]) => (x < y ? -1 : 1)).map(([, i]) => i));
    await until(async () =>
      (await deliveriesOf(s, "rule_id", digest)).every((d) => d.state === "sent"),
    );
    const digests = await deliveriesOf(s, "rule_id", digest);
    expect(digests.reduce((n, d) => n + d.event_count, 0)).toBe(BURST);
    expect(new Set(digests.map((d) => d.group_key)).size).toBe(4);
    expect(hooks(fake, `grouped-${dialect}`)).toHaveLength(digests.length);
    expect(fake.problems).toEqual([]);
  });

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
    await crashing.drain();
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
});
