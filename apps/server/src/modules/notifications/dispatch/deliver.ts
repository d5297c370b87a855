// Delivery is a task (`notification.deliver`, docs/notifications.md "Deliveries"): at its due
// time it renders the delivery's event (or the digest of its group, or one flapping message)
// in the channel's format with the installation's templates, sends it through the channel's
// sender under its owner's outbound policy, and records the request and the provider's answer
// (secrets redacted) on the delivery. A provider's 429 or 5xx, or no answer, fails the attempt
// for the engine to retry with backoff; another refusal, or the last attempt, fails it for good.
import { z } from "zod";
import type { Settings } from "../../../config/schema.ts";
import type { Secrets } from "../../../crypto/secrets.ts";
import type { Db } from "../../../db/open.ts";
import { type HandlerDef, PermanentError, WaitUntil } from "../../../engine/types.ts";
import { eventsByIds } from "../../events/repo.ts";
import { openSettings } from "../channel-rows.ts";
import { channelPolicy, type SendDeps, sendNotification } from "../channels/index.ts";
import { findChannel } from "../repo.ts";
import type { TemplateStore } from "../template-store.ts";
import { renderMessage } from "../templates/index.ts";
import { DELIVERY_BACKOFF, waitBefore } from "./order.ts";
import { DELIVER_KIND } from "./plan.ts";
import * as repo from "./repo.ts";
import { deliveryEvent, toNotificationEvent } from "./to-event.ts";

export interface DeliverDeps {
  db: Db;
  secrets: Secrets;
  settings: Settings;
  publicUrl: string;
  store: () => TemplateStore;
  sendDeps?: Partial<SendDeps>;
}

const payload = z.object({ deliveryId: z.string(), channelId: z.string() });
const ANSWER_MAX = 4_000;

const retryable = (status: number | null) => status === null || status === 429 || status >= 500;

export function deliverTask(deps: DeliverDeps): HandlerDef<typeof payload> {
  const k = deps.db.db;
  return {
    kind: DELIVER_KIND,
    description: "Send one notification: an event, a digest of a group, or a flapping message",
    payload,
    timeoutMs: 30_000,
    maxAttempts: 5,
    backoff: DELIVERY_BACKOFF,
    // one at a time per channel, and each after the final outcome of the rule's earlier ones
    // (order.ts): a rule's messages arrive in order, a retry included
    concurrency: { key: (p) => `notification-channel:${p.channelId}`, limit: 1 },
    system: true,
    async run(ctx) {
      const now = Date.now();
      const waiting = await repo.findDelivery(k, ctx.task.payload.deliveryId);
      const wait = waiting?.state === "pending" ? await waitBefore(k, waiting, now) : null;
      if (wait) throw new WaitUntil(wait.why, wait.runAt);
      const delivery = await repo.claimDelivery(k, ctx.task.payload.deliveryId, now);
      if (!delivery) return { skipped: "the delivery is gone or done" };
      const channel = await findChannel(k, delivery.channel_id);
      if (!channel?.enabled) {
        const error = channel ? "the channel is disabled" : "the channel is gone";
        await repo.updateDelivery(k, delivery.id, { state: "dropped", error, updated_at: now });
        return { dropped: error };
      }
      const rows = await eventsByIds(k, await repo.deliveryEventIds(k, delivery));
      const events = rows.map((r) => toNotificationEvent(r, deps.publicUrl));
      const event = deliveryEvent(delivery, events, now);
      const message = await renderMessage(event, await deps.store().overridesFor(event.type));
      const scope = channel.account_id === null ? "installation" : "account";
      const result = await sendNotification(openSettings(channel, deps.secrets), message, {
        ...deps.sendDeps,
        policy: channelPolicy(deps.settings, scope),
      });
      const last = ctx.task.attempt >= ctx.task.maxAttempts;
      const retry = !result.ok && retryable(result.status) && !last;
      await repo.updateDelivery(k, delivery.id, {
        state: result.ok ? "sent" : retry ? "pending" : "failed",
        status: result.status,
        request: JSON.stringify(result.request),
        response: result.response?.slice(0, ANSWER_MAX) ?? null,
        error: result.error ?? null,
        sent_at: result.ok ? Date.now() : null,
        updated_at: Date.now(),
      });
      if (result.ok) return { status: result.status, events: events.length };
      const why = `${channel.name}: ${result.error ?? `status ${result.status}`}`;
      throw retry ? new Error(why) : new PermanentError(why);
    },
  };
}
