// Notification channels through the API: an account's admins manage its channels, super users
// the installation's; every target checked against the channel's outbound policy at input and
// again at send time; secrets sealed at rest, never answered nor audited; "send test" renders
// the notification.test event with the installation's templates and sends it at once.

import type {
  ChannelSettings,
  channelCreate,
  channelListQuery,
  channelUpdate,
  SendResult,
} from "@steward/contracts/notifications";
import type { z } from "zod";
import { enforce } from "../../access/decision.ts";
import { notificationChannels as policy } from "../../access/policies/notifications.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import { diffOf } from "../../audit/redact.ts";
import type { Settings } from "../../config/schema.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import { conflict, invalid, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { requireAccount } from "../accounts/require.ts";
import {
  mergeUpdate,
  openSettings,
  publicFields,
  sealSettings,
  toChannel,
} from "./channel-rows.ts";
import { channelPolicy, refuseChannel, type SendDeps, sendNotification } from "./channels/index.ts";
import * as repo from "./repo.ts";
import type { TemplateStore } from "./template-store.ts";
import { renderMessage } from "./templates/index.ts";
import { testEvent } from "./test-event.ts";

export interface ChannelsDeps {
  db: Db;
  secrets: Secrets;
  settings: Settings;
  publicUrl: string;
  store: TemplateStore;
  /** test seams of the senders (a fixed API's base URL); the policy is always the channel's */
  sendDeps?: Partial<SendDeps>;
}

type Update = z.output<typeof channelUpdate>;
const scopeOf = (accountId: string | null) => (accountId === null ? "installation" : "account");

export function createChannelsService(deps: ChannelsDeps) {
  const k = deps.db.db;
  const view = (row: repo.ChannelRow) => toChannel(row, deps.secrets);

  /** The channel, or NOT_FOUND when it does not exist or the caller may not see it. */
  async function visible(ctx: Ctx, id: string) {
    const row = await repo.findChannel(k, id);
    if (!row || !policy.canRead(ctx, row.account_id).allowed)
      throw notFound(`notification channel ${id}`);
    return row;
  }

  /** Refuses a target outside the owner's outbound policy, and a name its scope has. */
  async function check(settings: ChannelSettings, accountId: string | null) {
    const refused = await refuseChannel(settings, channelPolicy(deps.settings, scopeOf(accountId)));
    if (refused) throw invalid(`settings.${refused.field}`, refused.message);
  }
  async function checkName(accountId: string | null, name: string, except?: string) {
    if (await repo.nameTaken(k, accountId, name, except))
      throw conflict(`a channel named "${name}" exists already`, "name");
  }

  const audit = (trx: typeof k, ctx: Ctx, row: repo.ChannelRow, verb: string, diff: unknown) =>
    recordAudit(trx, ctx, {
      action: `notification_channel.${verb}`,
      targetType: "notification_channel",
      targetId: row.id,
      accountId: row.account_id,
      diff,
    });

  return {
    async list(
      ctx: Ctx,
      f: z.output<typeof channelListQuery> & { limit: number; cursor?: string },
    ) {
      const scope = { where: policy.listScope(ctx), walks: policy.listWalks(ctx) };
      return repo.listChannels(k, scope, f, view);
    },

    async get(ctx: Ctx, id: string) {
      return view(await visible(ctx, id));
    },

    async create(ctx: Ctx, body: z.output<typeof channelCreate>) {
      const accountId = body.account ?? null;
      const actor = enforce(ctx, policy.canManage(ctx, accountId));
      if (accountId !== null) await requireAccount(k, accountId, "account");
      await check(body.settings, accountId);
      await checkName(accountId, body.name);
      const now = Date.now();
      const row: repo.ChannelRow = {
        id: newId("nch"),
        account_id: accountId,
        name: body.name,
        enabled: body.enabled ? 1 : 0,
        ...sealSettings(body.settings, deps.secrets),
        last_test_at: null,
        last_test_ok: null,
        last_test_status: null,
        last_test_error: null,
        created_by: actor.email || actor.name,
        created_at: now,
        updated_at: now,
      };
      await k.transaction().execute(async (trx) => {
        await repo.insertChannel(trx, row);
        await audit(trx, ctx, row, "create", diffOf(null, publicFields(view(row))));
      });
      return view(row);
    },

    async update(ctx: Ctx, id: string, body: Update) {
      const row = await visible(ctx, id);
      enforce(ctx, policy.canManage(ctx, row.account_id));
      const stored = openSettings(row, deps.secrets);
      const settings = body.settings ? mergeUpdate(body.settings, stored) : stored;
      const name = body.name ?? row.name;
      if (body.settings) await check(settings, row.account_id);
      if (body.name) await checkName(row.account_id, name, id);
      const next: repo.ChannelRow = {
        ...row,
        name,
        enabled: body.enabled === undefined ? row.enabled : body.enabled ? 1 : 0,
        ...sealSettings(settings, deps.secrets),
        updated_at: Date.now(),
      };
      const diff = diffOf(publicFields(view(row)), publicFields(view(next)));
      await k.transaction().execute(async (trx) => {
        await repo.updateChannel(trx, id, next);
        await audit(trx, ctx, next, "update", diff);
      });
      return view(next);
    },

    async remove(ctx: Ctx, id: string) {
      const row = await visible(ctx, id);
      enforce(ctx, policy.canManage(ctx, row.account_id));
      await k.transaction().execute(async (trx) => {
        await repo.deleteChannel(trx, id);
        await audit(trx, ctx, row, "delete", diffOf(publicFields(view(row)), null));
      });
    },

    /** Sends the notification.test event now; the result is recorded on the channel. */
    async test(ctx: Ctx, id: string): Promise<SendResult> {
      const row = await visible(ctx, id);
      const actor = enforce(ctx, policy.canManage(ctx, row.account_id));
      const event = testEvent(row, actor.email || actor.name, deps.publicUrl);
      const message = await renderMessage(event, await deps.store.overridesFor(event.type));
      const result = await sendNotification(openSettings(row, deps.secrets), message, {
        ...deps.sendDeps,
        policy: channelPolicy(deps.settings, scopeOf(row.account_id)),
      });
      const outcome = {
        ok: result.ok,
        status: result.status,
        error: result.error ?? null,
      };
      await k.transaction().execute(async (trx) => {
        await repo.updateChannel(trx, id, {
          last_test_at: Date.now(),
          last_test_ok: result.ok ? 1 : 0,
          last_test_status: result.status,
          last_test_error: outcome.error,
        });
        await recordAudit(trx, ctx, {
          action: "notification_channel.test",
          outcome: result.ok ? "success" : "failure",
          targetType: "notification_channel",
          targetId: id,
          accountId: row.account_id,
          diff: outcome,
        });
      });
      return result;
    },
  };
}

export type ChannelsService = ReturnType<typeof createChannelsService>;
