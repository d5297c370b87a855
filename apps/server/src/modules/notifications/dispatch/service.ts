// The delivery log through the API: a channel's deliveries (newest first, by state and time)
// and one delivery, for who may read the channel; the request as sent (secrets redacted when
// it was recorded) and the provider's answer (truncated).
import type { deliveryListQuery, NotificationDelivery } from "@steward/contracts/notifications";
import type { z } from "zod";
import { notificationChannels as policy } from "../../../access/policies/notifications.ts";
import type { Ctx } from "../../../access/types.ts";
import type { Db } from "../../../db/open.ts";
import { notFound } from "../../../lib/errors.ts";
import { checkCursor, isoOrNull, msToIso, pageOf } from "../../../lib/sql.ts";
import { findChannel } from "../repo.ts";
import * as repo from "./repo.ts";

type ListQuery = z.output<typeof deliveryListQuery> & { limit: number; cursor?: string };

const parsed = <T>(text: string | null): T | null => {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
};

export const toDelivery = (r: repo.DeliveryRow): NotificationDelivery => ({
  id: r.id,
  ruleId: r.rule_id,
  channelId: r.channel_id,
  accountId: r.account_id,
  eventId: r.event_id,
  eventType: r.event_type,
  eventCount: Number(r.event_count),
  groupKey: r.group_key,
  flapping: parsed(r.flapping),
  state: r.state,
  attempts: Number(r.attempts),
  dueAt: msToIso(Number(r.due_at)),
  sentAt: isoOrNull(r.sent_at === null ? null : Number(r.sent_at)),
  status: r.status,
  request: parsed(r.request),
  response: r.response,
  error: r.error,
  createdAt: msToIso(Number(r.created_at)),
});

export function createDeliveriesService({ db }: { db: Db }) {
  const k = db.db;
  async function channelOf(ctx: Ctx, id: string) {
    const channel = await findChannel(k, id);
    if (!channel || !policy.canRead(ctx, channel.account_id).allowed)
      throw notFound(`notification channel ${id}`);
    return channel;
  }
  return {
    /** A channel's delivery log, newest first. */
    async list(ctx: Ctx, channelId: string, q: ListQuery) {
      await channelOf(ctx, channelId);
      const rows = await repo.listDeliveries(k, channelId, { ...q, cursor: checkCursor(q.cursor) });
      return pageOf(rows.map(toDelivery), q.limit, (d) => d.id);
    },
    async get(ctx: Ctx, id: string) {
      const row = await repo.findDelivery(k, id);
      const channel = row && (await findChannel(k, row.channel_id));
      if (!row || !channel || !policy.canRead(ctx, channel.account_id).allowed)
        throw notFound(`notification delivery ${id}`);
      return toDelivery(row);
    },
  };
}

export type DeliveriesService = ReturnType<typeof createDeliveriesService>;
