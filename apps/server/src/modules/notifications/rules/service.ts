// Notification rules through the API: an account's admins manage its rules, super users the
// installation's; a rule names channels of its own scope only (an account's rule that
// account's channels, an installation rule installation channels); changes are audited and
// the dispatcher's cache is told. Also the installation's emergency contact.

import type {
  NotificationRule,
  NotificationSettings,
  ruleCreate,
  ruleListQuery,
  ruleUpdate,
} from "@steward/contracts/notifications";
import { ruleSettings } from "@steward/contracts/notifications";
import type { z } from "zod";
import { enforce } from "../../../access/decision.ts";
import { notificationRules as policy } from "../../../access/policies/notification-rules.ts";
import type { Ctx } from "../../../access/types.ts";
import { recordAudit } from "../../../audit/log.ts";
import { diffOf } from "../../../audit/redact.ts";
import type { Db } from "../../../db/open.ts";
import { conflict, invalid, notFound } from "../../../lib/errors.ts";
import { newId } from "../../../lib/ids.ts";
import { msToIso } from "../../../lib/sql.ts";
import { requireAccount } from "../../accounts/require.ts";
import { getSetting, putSetting } from "../../settings/repo.ts";
import { EMERGENCY_SETTING } from "../dispatch/dispatcher.ts";
import { channelsByIds } from "../repo.ts";
import type { RuleCache } from "./cache.ts";
import * as repo from "./repo.ts";

type Create = z.output<typeof ruleCreate>;
type Update = z.output<typeof ruleUpdate>;

export function createRulesService({ db, cache }: { db: Db; cache: RuleCache }) {
  const k = db.db;

  async function view(rows: repo.RuleRow[]): Promise<NotificationRule[]> {
    const channels = await repo.ruleChannelIds(
      k,
      rows.map((r) => r.id),
    );
    const names = new Map(
      (await channelsByIds(k, [...new Set([...channels.values()].flat())])).map((c) => [
        c.id,
        c.name,
      ]),
    );
    return rows.map((r) => ({
      id: r.id,
      accountId: r.account_id,
      name: r.name,
      enabled: r.enabled === 1,
      settings: ruleSettings.parse(JSON.parse(r.settings)),
      channels: (channels.get(r.id) ?? []).map((id) => ({ id, name: names.get(id) ?? id })),
      createdBy: r.created_by,
      createdAt: msToIso(Number(r.created_at)),
      updatedAt: msToIso(Number(r.updated_at)),
    }));
  }
  const one = async (row: repo.RuleRow) => (await view([row]))[0] as NotificationRule;

  async function visible(ctx: Ctx, id: string) {
    const row = await repo.findRule(k, id);
    if (!row || !policy.canRead(ctx, row.account_id).allowed)
      throw notFound(`notification rule ${id}`);
    return row;
  }

  /** Refuses a channel that does not exist or is outside the rule's scope, naming it. */
  async function checkChannels(
    accountId: string | null,
    ids: string[],
    fieldOf = (i: number) => `channels.${i}`,
  ) {
    const found = new Map((await channelsByIds(k, ids)).map((c) => [c.id, c]));
    ids.forEach((channelId, i) => {
      const channel = found.get(channelId);
      if (!channel || channel.account_id !== accountId)
        throw invalid(
          fieldOf(i),
          accountId === null
            ? `no installation-wide channel ${channelId}`
            : `no channel ${channelId} in the rule's account`,
        );
    });
  }
  async function checkName(accountId: string | null, name: string, except?: string) {
    if (await repo.ruleNameTaken(k, accountId, name, except))
      throw conflict(`a rule named "${name}" exists already`, "name");
  }

  const audit = (trx: typeof k, ctx: Ctx, row: repo.RuleRow, verb: string, diff: unknown) =>
    recordAudit(trx, ctx, {
      action: `notification_rule.${verb}`,
      targetType: "notification_rule",
      targetId: row.id,
      accountId: row.account_id,
      diff,
    });

  return {
    async list(ctx: Ctx, f: z.output<typeof ruleListQuery> & { limit: number; cursor?: string }) {
      const scope = { where: policy.listScope(ctx), walks: policy.listWalks(ctx) };
      const page = await repo.listRules(k, scope, f, (row) => row);
      return { ...page, items: await view(page.items) };
    },

    async get(ctx: Ctx, id: string) {
      return one(await visible(ctx, id));
    },

    async create(ctx: Ctx, body: Create) {
      const accountId = body.account ?? null;
      const actor = enforce(ctx, policy.canManage(ctx, accountId));
      if (accountId !== null) await requireAccount(k, accountId, "account");
      await checkChannels(accountId, body.channels);
      await checkName(accountId, body.name);
      const now = Date.now();
      const row: repo.RuleRow = {
        id: newId("nrl"),
        account_id: accountId,
        name: body.name,
        enabled: body.enabled ? 1 : 0,
        settings: JSON.stringify(body.settings),
        created_by: actor.email || actor.name,
        created_at: now,
        updated_at: now,
      };
      await k.transaction().execute(async (trx) => {
        await repo.insertRule(trx, row, body.channels);
        await audit(trx, ctx, row, "create", diffOf(null, { ...body, account: accountId }));
      });
      cache.invalidate();
      return one(row);
    },

    async update(ctx: Ctx, id: string, body: Update) {
      const row = await visible(ctx, id);
      enforce(ctx, policy.canManage(ctx, row.account_id));
      if (body.channels) await checkChannels(row.account_id, body.channels);
      if (body.name) await checkName(row.account_id, body.name, id);
      const next: repo.RuleRow = {
        ...row,
        name: body.name ?? row.name,
        enabled: body.enabled === undefined ? row.enabled : body.enabled ? 1 : 0,
        settings: body.settings ? JSON.stringify(body.settings) : row.settings,
        updated_at: Date.now(),
      };
      const before = await one(row);
      const after = { ...(await one(next)), channels: body.channels ?? before.channels };
      await k.transaction().execute(async (trx) => {
        const { id: _, ...patch } = next;
        await repo.updateRule(trx, id, patch);
        if (body.channels) await repo.setRuleChannels(trx, id, body.channels);
        await audit(trx, ctx, next, "update", diffOf(before, after));
      });
      cache.invalidate();
      return one(next);
    },

    async remove(ctx: Ctx, id: string) {
      const row = await visible(ctx, id);
      enforce(ctx, policy.canManage(ctx, row.account_id));
      const before = await one(row);
      await k.transaction().execute(async (trx) => {
        await repo.deleteRule(trx, id);
        await audit(trx, ctx, row, "delete", diffOf(before, null));
      });
      cache.invalidate();
    },

    async settings(ctx: Ctx): Promise<NotificationSettings> {
      enforce(ctx, policy.canReadSettings(ctx));
      return { emergencyChannel: (await getSetting(k, EMERGENCY_SETTING)) || null };
    },

    async putSettings(ctx: Ctx, body: NotificationSettings): Promise<NotificationSettings> {
      enforce(ctx, policy.canEditSettings(ctx));
      if (body.emergencyChannel !== null)
        await checkChannels(null, [body.emergencyChannel], () => "emergencyChannel");
      const before = await this.settings(ctx);
      await k.transaction().execute(async (trx) => {
        await putSetting(trx, EMERGENCY_SETTING, body.emergencyChannel ?? "");
        await recordAudit(trx, ctx, {
          action: "notification_settings.update",
          targetType: "notification_settings",
          targetId: "installation",
          accountId: null,
          diff: diffOf(before, body),
        });
      });
      return body;
    },
  };
}

export type RulesService = ReturnType<typeof createRulesService>;
