// What one event becomes (docs/notifications.md, "Dispatch"): the rules of its account and of
// the installation that take it, each rule's decision with the history it needs (its last
// delivery of the same type and target, the target's recent state changes, whether it is
// flapping), and a delivery per channel, or the event joins the rule's pending digest of its
// group. A critical event no rule takes goes to the emergency contact.
import { type EventType, type RuleEventFacts, ruleMatches } from "@steward/contracts/notifications";
import type { Kysely } from "kysely";
import type { Database } from "../../../db/schema.ts";
import type { TaskSpec } from "../../../engine/types.ts";
import { idAt, monotonicIds } from "../../../lib/ids.ts";
import { EVENT_ID, type EventRow, targetChanges } from "../../events/repo.ts";
import type { CachedRule } from "../rules/cache.ts";
import { decide, type EventFacts, repeatKey } from "../rules/decide.ts";
import * as repo from "./repo.ts";

export const DELIVER_KIND = "notification.deliver";
/** deliveries sort in the order they were made: a rule's messages go out in that order */
const deliveryId = monotonicIds(repo.DELIVERY_ID);
/** a target's state changes: what flap suppression counts */
export const STATE_TYPES = [
  "monitor.down",
  "monitor.up",
  "monitor.degraded",
  "node.unreachable",
  "node.reachable",
];

export interface PlanContext {
  rules: CachedRule[];
  emergencyChannel: string | null;
  now: number;
  /** the latest due time given per rule and channel: the next one later keeps their order */
  lastDue: Map<string, number>;
  enqueue(spec: TaskSpec, trx: Kysely<Database>): Promise<unknown>;
}

const factsOf = (row: EventRow): RuleEventFacts & EventFacts => {
  const target =
    row.target_type && row.target_id ? { type: row.target_type, id: row.target_id } : null;
  return {
    type: row.type as EventType,
    severity: row.severity,
    outcome: row.outcome,
    target,
    groupKey: row.group_key,
    occurredAt: new Date(Number(row.created_at)),
    stateChange: target !== null && STATE_TYPES.includes(row.type),
  };
};

/** A failed delivery's own task event is not sent again (a broken channel would loop). */
const isDeliveryTaskEvent = (row: EventRow) =>
  row.type.startsWith("task.") && row.fields.includes(`"kind":"${DELIVER_KIND}"`);

async function historyOf(
  trx: Kysely<Database>,
  rule: CachedRule,
  row: EventRow,
  facts: EventFacts,
) {
  const last = await repo.lastDelivered(trx, rule.id, repeatKey(facts));
  const flap = rule.settings.flap;
  const recent =
    flap && facts.stateChange && facts.target
      ? await targetChanges(
          trx,
          facts.target.id,
          STATE_TYPES,
          idAt(EVENT_ID, facts.occurredAt.getTime() - flap.windowMinutes * 60_000),
          row.id,
        )
      : [];
  return {
    lastSentAt: last === null ? null : new Date(last),
    recentChanges: recent.map((r) => new Date(Number(r.created_at))),
    flapping:
      flap && facts.target
        ? await repo.isFlapping(trx, rule.id, `${facts.target.type}:${facts.target.id}`)
        : false,
  };
}

interface NewDelivery {
  ruleId: string | null;
  channelId: string;
  dueAt: number;
  group: string | null;
  flapping: { changes: number; windowMinutes: number } | null;
}

async function addDelivery(trx: Kysely<Database>, row: EventRow, d: NewDelivery, ctx: PlanContext) {
  const id = deliveryId(ctx.now);
  // tasks due at the same millisecond run in any order: a rule's come one after another
  const order = `${d.ruleId}|${d.channelId}`;
  const dueAt = Math.max(d.dueAt, (ctx.lastDue.get(order) ?? 0) + 1);
  ctx.lastDue.set(order, dueAt);
  const task = (await ctx.enqueue(
    {
      kind: DELIVER_KIND,
      payload: { deliveryId: id, channelId: d.channelId },
      accountId: row.account_id,
      runAt: dueAt,
      onSuccess: "delete",
    },
    trx,
  )) as { task: { id: string } };
  await repo.insertDeliveries(
    trx,
    [
      {
        id,
        rule_id: d.ruleId,
        channel_id: d.channelId,
        account_id: row.account_id,
        event_id: row.id,
        event_type: row.type,
        group_key: d.group,
        repeat_key: repeatKey(factsOf(row)),
        flapping: d.flapping ? JSON.stringify(d.flapping) : null,
        due_at: dueAt,
        state: "pending",
        task_id: task.task.id,
        created_at: ctx.now,
        updated_at: ctx.now,
      },
    ],
    [],
  );
}

/** Records what one event becomes, in the dispatcher's transaction; returns the deliveries made or joined. */
export async function planEvent(trx: Kysely<Database>, row: EventRow, ctx: PlanContext) {
  if (isDeliveryTaskEvent(row)) return 0;
  const facts = factsOf(row);
  const rules = ctx.rules.filter(
    (r) =>
      (r.accountId === null || r.accountId === row.account_id) && ruleMatches(r.settings, facts),
  );
  let made = 0;
  if (!rules.length) {
    if (row.severity !== "critical" || !ctx.emergencyChannel) return 0;
    const d = {
      ruleId: null,
      channelId: ctx.emergencyChannel,
      dueAt: ctx.now,
      group: null,
      flapping: null,
    };
    await addDelivery(trx, row, d, ctx);
    return 1;
  }
  for (const rule of rules) {
    const decision = decide(rule.settings, facts, await historyOf(trx, rule, row, facts));
    if (rule.settings.flap && facts.stateChange && facts.target) {
      const key = `${facts.target.type}:${facts.target.id}`;
      if (decision.action === "deliver")
        await repo.setFlapping(trx, rule.id, key, decision.flapping ? ctx.now : null);
    }
    if (decision.action === "drop") continue;
    for (const channelId of rule.channelIds) {
      const group = decision.group;
      if (
        group &&
        (await repo.joinGroup(
          trx,
          { ruleId: rule.id, groupKey: group, channelId },
          row.id,
          facts.occurredAt.getTime(),
          ctx.now,
        ))
      ) {
        made++;
        continue;
      }
      const d = {
        ruleId: rule.id,
        channelId,
        dueAt: decision.dueAt.getTime(),
        group,
        flapping: decision.flapping,
      };
      await addDelivery(trx, row, d, ctx);
      made++;
    }
  }
  return made;
}
