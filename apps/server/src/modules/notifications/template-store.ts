// The installation's template overrides (message_templates), as the renderers read them: all
// rows (at most one per event type and template format) kept in memory, read again after a
// change in this process or, for a change made by another panel process, after TTL_MS.
import {
  type EventType,
  type MessageTemplateItem,
  type TemplateFormat,
  templateFormats,
} from "@steward/contracts/notifications";
import type { Db } from "../../db/open.ts";
import { msToIso } from "../../lib/sql.ts";
import * as repo from "./repo.ts";
import { defaultTemplate, type TemplateOverrides } from "./templates/index.ts";

const TTL_MS = 10_000;

export function createTemplateStore(db: Db) {
  let cached: { at: number; rows: Promise<Map<string, repo.TemplateRow>> } | null = null;
  const keyOf = (type: string, format: string) => `${type} ${format}`;
  const overrides = () => {
    if (!cached || Date.now() - cached.at > TTL_MS) {
      const rows = repo
        .listTemplates(db.db)
        .then((found) => new Map(found.map((row) => [keyOf(row.event_type, row.format), row])));
      // a failed read is not kept
      rows.catch(() => {
        cached = null;
      });
      cached = { at: Date.now(), rows };
    }
    return cached.rows;
  };

  return {
    /** drops what is kept: the next render reads the table again */
    invalidate() {
      cached = null;
    },
    /** the effective template of a type in a format: the override, else the default */
    async effective(type: EventType, format: TemplateFormat): Promise<MessageTemplateItem> {
      const row = (await overrides()).get(keyOf(type, format));
      const template = row ?? defaultTemplate(type, format);
      return {
        type,
        format,
        customised: row !== undefined,
        subject: template.subject,
        body: template.body,
        updatedBy: row?.updated_by ?? null,
        updatedAt: row ? msToIso(Number(row.updated_at)) : null,
      };
    },
    /** what renderMessage takes for an event of `type`: the overrides of each format */
    async overridesFor(type: EventType): Promise<TemplateOverrides> {
      const rows = await overrides();
      const out: TemplateOverrides = {};
      for (const format of templateFormats) {
        const row = rows.get(keyOf(type, format));
        if (row) out[format] = { subject: row.subject, body: row.body };
      }
      return out;
    },
  };
}

export type TemplateStore = ReturnType<typeof createTemplateStore>;
