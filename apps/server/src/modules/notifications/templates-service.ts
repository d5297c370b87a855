// Message templates through the API (super users edit, global readers read): every event type
// in every template format with its effective template, an override checked before it is
// saved, a reset to the default, and a preview with the type's sample event.
import {
  type EventType,
  eventTypes,
  type MessageFormat,
  type MessageTemplate,
  sampleEvent,
  type TemplateFormat,
  templateFormatOf,
  templateFormats,
} from "@steward/contracts/notifications";
import { enforce } from "../../access/decision.ts";
import { messageTemplates } from "../../access/policies/notifications.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Db } from "../../db/open.ts";
import * as repo from "./repo.ts";
import type { TemplateStore } from "./template-store.ts";
import { checkTemplate, render } from "./templates/index.ts";

export function createTemplatesService({ db, store }: { db: Db; store: TemplateStore }) {
  const k = db.db;
  const audit = (
    ctx: Ctx,
    verb: "update" | "reset",
    type: EventType,
    format: TemplateFormat,
    diff: unknown,
    trx = k,
  ) =>
    recordAudit(trx, ctx, {
      action: `message_template.${verb}`,
      targetType: "message_template",
      targetId: `${type}/${format}`,
      diff,
    });

  return {
    async list(ctx: Ctx) {
      enforce(ctx, messageTemplates.canRead(ctx));
      const pairs = eventTypes.flatMap((type) =>
        templateFormats.map((format) => store.effective(type, format)),
      );
      return { items: await Promise.all(pairs) };
    },

    async get(ctx: Ctx, type: EventType, format: TemplateFormat) {
      enforce(ctx, messageTemplates.canRead(ctx));
      return store.effective(type, format);
    },

    /** Saves an override, checked first: a 400 naming subject or body says what is wrong. */
    async put(ctx: Ctx, type: EventType, format: TemplateFormat, template: MessageTemplate) {
      const actor = enforce(ctx, messageTemplates.canEdit(ctx));
      await checkTemplate(template, type, format);
      const before = await store.effective(type, format);
      await k.transaction().execute(async (trx) => {
        await repo.putTemplate(trx, {
          event_type: type,
          format,
          subject: template.subject,
          body: template.body,
          updated_by: actor.email || actor.name,
          updated_at: Date.now(),
        });
        const from = { subject: before.subject, body: before.body };
        await audit(ctx, "update", type, format, { before: from, after: template }, trx);
      });
      store.invalidate();
      return store.effective(type, format);
    },

    /** Back to the default template (no row); nothing to do when there is no override. */
    async reset(ctx: Ctx, type: EventType, format: TemplateFormat) {
      enforce(ctx, messageTemplates.canEdit(ctx));
      const before = await store.effective(type, format);
      await k.transaction().execute(async (trx) => {
        if (await repo.deleteTemplate(trx, type, format)) {
          const from = { subject: before.subject, body: before.body };
          await audit(ctx, "reset", type, format, { before: from }, trx);
        }
      });
      store.invalidate();
      return store.effective(type, format);
    },

    /** The given source (checked as a save would), else the effective template, rendered. */
    async preview(
      ctx: Ctx,
      p: { type: EventType; format: MessageFormat; subject?: string; body?: string },
    ) {
      enforce(ctx, messageTemplates.canRead(ctx));
      const templateFormat = templateFormatOf(p.format);
      const stored = await store.effective(p.type, templateFormat);
      const template = { subject: p.subject ?? stored.subject, body: p.body ?? stored.body };
      if (p.subject !== undefined || p.body !== undefined)
        await checkTemplate(template, p.type, templateFormat);
      return render(template, sampleEvent(p.type), p.format);
    },
  };
}

export type TemplatesService = ReturnType<typeof createTemplatesService>;
