// The events API (GET /api/v1/events, /api/v1/events/:id): what the events policy lets the
// caller read, with the names of each event's account. An event the caller may not read does
// not exist for it.
import {
  type EventListQuery,
  type EventType,
  eventCatalogue,
  eventTypes,
  matchesEventType,
  type RecordedEvent,
  severities,
} from "@steward/contracts/notifications";
import { enforce } from "../../access/decision.ts";
import { events as policy } from "../../access/policies/events.ts";
import type { Ctx } from "../../access/types.ts";
import type { Db } from "../../db/open.ts";
import { notFound } from "../../lib/errors.ts";
import { checkCursor, msToIso, pageOf } from "../../lib/sql.ts";
import { accountNames } from "../accounts/repo.ts";
import { type EventRow, findEvent, listEvents } from "./repo.ts";

type ListQuery = EventListQuery & { limit: number; cursor?: string };

const parsed = (text: string): Record<string, unknown> => {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
};

const toEvent = (r: EventRow, accountName: string | null): RecordedEvent => ({
  id: r.id,
  type: r.type as EventType,
  title: eventCatalogue[r.type as EventType]?.title ?? r.type,
  severity: r.severity,
  outcome: r.outcome,
  accountId: r.account_id,
  accountName,
  target:
    r.target_type && r.target_id
      ? { type: r.target_type, id: r.target_id, name: r.target_name ?? r.target_id }
      : null,
  summary: r.summary,
  fields: parsed(r.fields),
  groupKey: r.group_key,
  url: r.url,
  occurredAt: msToIso(Number(r.created_at)),
});

export function createEventsService({ db }: { db: Db }) {
  const k = db.db;

  async function named(rows: EventRow[]) {
    const ids = [...new Set(rows.flatMap((r) => (r.account_id ? [r.account_id] : [])))];
    const names = ids.length ? await accountNames.of(k, ids) : new Map<string, string>();
    return rows.map((r) => toEvent(r, (r.account_id && names.get(r.account_id)) || null));
  }

  return {
    /** Newest first: the events of the caller's accounts (and every one for super users). */
    async list(ctx: Ctx, q: ListQuery) {
      enforce(ctx, policy.canList(ctx));
      const scope = { where: policy.listScope(ctx), walks: policy.listWalks(ctx) };
      const { type, severity, ...rest } = q;
      const rows = await listEvents(k, scope, {
        ...rest,
        types: type ? eventTypes.filter((t) => matchesEventType(type, t)) : undefined,
        severities: severity ? severities.slice(severities.indexOf(severity)) : undefined,
        cursor: checkCursor(q.cursor),
      });
      return pageOf(await named(rows), q.limit, (e) => e.id);
    },

    async get(ctx: Ctx, id: string) {
      enforce(ctx, policy.canList(ctx));
      const row = await findEvent(k, id);
      if (!row || !policy.canRead(ctx, row).allowed) throw notFound(`event ${id}`);
      const [event] = await named([row]);
      if (!event) throw notFound(`event ${id}`);
      return event;
    },
  };
}

export type EventsService = ReturnType<typeof createEventsService>;
