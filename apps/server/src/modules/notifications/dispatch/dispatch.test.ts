// Events become messages, on both databases, with the real engine and the webhook's recording
// fake: a failing site gives a delivery and a signed request to its account's rule only; a
// group within its window is one digest; flapping is one message; the emergency contact takes
// a critical event no rule takes; repeats, outcomes and quiet hours; a provider's 500 retried.
import { setTimeout as sleep } from "node:timers/promises";
import { dialects } from "@steward/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import {
  addRule,
  deliveriesOf,
  failingFirst,
  HOOK_SECRET,
  hooks,
  record,
  siteFailed,
  until,
  webhookChannel,
} from "../../../testing/dispatch.ts";
import { useServer, useWorld } from "../../../testing/use-server.ts";
import { putSetting } from "../../settings/repo.ts";
import { useFake } from "../channels/fakes/use-fake.ts";
import { EMERGENCY_SETTING } from "./dispatcher.ts";

const fake = useFake(failingFirst("flaky"));
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

describe.each(dialects())("dispatch on %s", (dialect) => {
  const s = useServer(dialect, { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  const channel = (name: string, account: string | null = null) =>
    webhookChannel(s, account ? w.keys.accountAdmin : w.keys.super, account, name, fake);
  beforeAll(() => {
    s.svc.engine.startWorker();
    s.svc.dispatcher.start();
  });

  it("sends a failing site to its account's rule, never another account's", async () => {
    const [mine, theirs] = [await channel(`a-${dialect}`, w.a), await channel(`b-${dialect}`)];
    const rule = await addRule(s, w.a, { eventTypes: ["site."] }, [mine]);
    await addRule(s, w.b, { eventTypes: [""] }, [theirs]);
    await siteFailed(s, w.a, `shop-${dialect}.example.com`);
    await until(async () => (await deliveriesOf(s, "rule_id", rule))[0]?.state === "sent");
    const [sent] = hooks(fake, `a-${dialect}`);
    expect(sent?.subject).toContain(`shop-${dialect}.example.com`);
    expect(sent?.severity).toBe("critical");
    const [delivery] = await deliveriesOf(s, "rule_id", rule);
    expect(delivery).toMatchObject({ channel_id: mine, attempts: 1, status: 204 });
    expect(delivery?.request).toContain("/hooks/");
    expect(delivery?.request).not.toContain(HOOK_SECRET);
    expect(await deliveriesOf(s, "channel_id", theirs)).toEqual([]);
    expect(fake.problems).toEqual([]);
  });

  it("groups 50 events of one group within the window into one digest", async () => {
    const ch = await channel(`digest-${dialect}`, w.a);
    const rule = await addRule(
      s,
      w.a,
      { eventTypes: ["site.failed"], scope: { targetType: "site" }, groupSeconds: 2 },
      [ch],
    );
    for (let i = 0; i < 50; i++) await siteFailed(s, w.a, `d${i}.example.com`, "nod_digest");
    await until(async () => (await deliveriesOf(s, "rule_id", rule))[0]?.state === "sent");
    const deliveries = await deliveriesOf(s, "rule_id", rule);
    expect(deliveries.map((d) => d.event_count)).toEqual([50]);
    const [digest, ...more] = hooks(fake, `digest-${dialect}`);
    expect(more).toEqual([]);
    expect(digest?.text).toContain("d0.example.com");
    expect(digest?.text).toContain("d49.example.com");
  });

  it("sends one flapping message for a target that keeps changing, then nothing", async () => {
    const ch = await channel(`flap-${dialect}`);
    const rule = await addRule(
      s,
      null,
      {
        eventTypes: ["node."],
        scope: { targetType: "node", targetId: `nod_flap_${dialect}` },
        flap: { changes: 3, windowMinutes: 10 },
      },
      [ch],
    );
    const node = { type: "node", id: `nod_flap_${dialect}`, name: "web-flap" };
    for (let i = 0; i < 5; i++) {
      await sleep(2); // state changes of one target a millisecond or more apart, as in life
      await record(s, {
        type: i % 2 ? "node.reachable" : "node.unreachable",
        account: null,
        target: node,
        fields:
          i % 2
            ? { nodeId: node.id, nodeName: node.name, downtimeSeconds: 5 }
            : { nodeId: node.id, nodeName: node.name, lastSeenAt: null, error: "timeout" },
      });
    }
    await until(async () => (await deliveriesOf(s, "rule_id", rule)).length === 3);
    await until(async () =>
      (await deliveriesOf(s, "rule_id", rule)).every((d) => d.state === "sent"),
    );
    const deliveries = await deliveriesOf(s, "rule_id", rule);
    expect(deliveries.map((d) => d.flapping !== null)).toEqual([false, false, true]);
    const subjects = hooks(fake, `flap-${dialect}`).map((h) => h.subject);
    expect(subjects).toHaveLength(3);
    expect(subjects[2]).toMatch(/flapping/i);
  });

  it("sends a critical event no rule takes to the emergency contact", async () => {
    const ch = await channel(`emergency-${dialect}`);
    await putSetting(s.svc.db.db, EMERGENCY_SETTING, ch);
    await record(s, {
      type: "backup.failed",
      account: null,
      fields: { backupId: "bkp_1", targetName: "nightly", error: "disk full" },
    });
    await record(s, {
      type: "backup.succeeded",
      account: null,
      fields: { backupId: "bkp_2", targetName: "nightly", sizeBytes: 10 },
    });
    await until(async () => (await deliveriesOf(s, "channel_id", ch))[0]?.state === "sent");
    const deliveries = await deliveriesOf(s, "channel_id", ch);
    expect(deliveries.map((d) => [d.rule_id, d.event_type])).toEqual([[null, "backup.failed"]]);
    await putSetting(s.svc.db.db, EMERGENCY_SETTING, "");
  });

  it("drops repeats within the interval, keeps outcomes apart, holds in quiet hours", async () => {
    const ch = await channel(`rules-${dialect}`, w.a);
    const only = (targetId: string, more: object) =>
      addRule(s, w.a, { eventTypes: ["task."], scope: { targetType: "task", targetId }, ...more }, [
        ch,
      ]);
    const repeat = await only("tsk_repeat", { repeatMinutes: 60 });
    const success = await only("tsk_outcome", { outcome: "success" });
    const failure = await only("tsk_outcome", { outcome: "failure" });
    const now = Date.now();
    const quiet = { start: hhmm(now - 3_600_000), end: hhmm(now + 3_600_000), timeZone: "UTC" };
    const held = await only("tsk_quiet", { quietHours: { ...quiet, includeCritical: true } });
    const dropped = await only("tsk_quiet", {
      quietHours: { ...quiet, mode: "drop", includeCritical: true },
    });
    const failed = (id: string) =>
      record(s, {
        type: "task.failed",
        account: w.a,
        target: { type: "task", id, name: id },
        fields: { taskId: id, kind: "site.apply", title: "Apply", attempts: 3, error: "refused" },
      });
    await failed("tsk_repeat");
    await failed("tsk_repeat");
    await failed("tsk_outcome");
    await record(s, {
      type: "task.recovered",
      account: w.a,
      target: { type: "task", id: "tsk_outcome", name: "tsk_outcome" },
      fields: { taskId: "tsk_outcome", kind: "site.apply", title: "Apply", failedAttempts: 3 },
    });
    await failed("tsk_quiet");
    await until(async () => (await deliveriesOf(s, "rule_id", held)).length === 1);
    await until(async () => (await deliveriesOf(s, "rule_id", success)).length === 1);
    const types = async (rule: string) =>
      (await deliveriesOf(s, "rule_id", rule)).map((d) => d.event_type);
    expect(await types(repeat)).toEqual(["task.failed"]);
    expect(await types(success)).toEqual(["task.recovered"]);
    expect(await types(failure)).toEqual(["task.failed"]);
    expect(await types(dropped)).toEqual([]);
    const [waiting] = await deliveriesOf(s, "rule_id", held);
    expect(waiting?.state).toBe("pending");
    expect(Number(waiting?.due_at)).toBeGreaterThan(now + 3_000_000);
  });

  it("retries a provider's 500, then sends", async () => {
    const ch = await channel(`flaky-${dialect}`, w.a);
    const rule = await addRule(
      s,
      w.a,
      {
        eventTypes: ["site."],
        scope: { targetType: "site", targetId: `sit_flaky-${dialect}.example.com` },
      },
      [ch],
    );
    await siteFailed(s, w.a, `flaky-${dialect}.example.com`);
    await until(async () => (await deliveriesOf(s, "rule_id", rule))[0]?.state === "sent");
    const [delivery] = await deliveriesOf(s, "rule_id", rule);
    expect(delivery?.attempts).toBe(2);
    expect(hooks(fake, `flaky-${dialect}`)).toHaveLength(2);
  });
});
