// Recording a domain event (docs/notifications.md, "Events"): in the transaction of what caused
// it, as audit entries are (audit/log.ts), so a rolled-back change leaves no event and a
// committed one always has its event. Listeners (the dispatcher) are woken once it commits.
import { EventEmitter } from "node:events";
import {
  type EventOutcome,
  type EventTarget,
  type EventType,
  eventCatalogue,
  type Severity,
} from "@steward/contracts/notifications";
import { type Kysely, sql } from "kysely";
import { subscribe } from "../../db/pg-listen.ts";
import type { Database } from "../../db/schema.ts";
import { monotonicIds } from "../../lib/ids.ts";
import { isPostgres } from "../../lib/sql.ts";
import { EVENT_ID, insertEvent } from "./repo.ts";

/** The NOTIFY channel of new events on PostgreSQL (payload: the event's id). */
export const EVENTS_CHANNEL = "steward_events";

/** What a producer says: the type's fields are checked against the catalogue. */
export interface EventInput<T extends EventType = EventType> {
  type: T;
  /** the catalogue's default unless the producer knows better */
  severity?: Severity;
  /** null: an installation-level event, seen by super users only */
  accountId: string | null;
  target: EventTarget | null;
  /** one line: "site shop.example.com failed" */
  summary: string;
  fields: Record<string, unknown>;
  /** events of one key may join one message (a site's node, a monitor) */
  groupKey?: string | null;
  /** where to look in the console */
  url?: string | null;
}

/** An event whose fields do not fit its type: a producer's bug, thrown, never stored. */
export class EventFieldsError extends Error {}

const local = new EventEmitter();
local.setMaxListeners(0);

/**
 * Records one event in `trx` (the transaction of its cause) and returns its id. Throws when
 * the fields do not fit the type's schema. On PostgreSQL a NOTIFY on `steward_events` goes
 * with the commit; on SQLite this process's listeners are told once the transaction is done
 * (every query shares one connection, so a read they start runs after the commit).
 */
/** Events one process records within a millisecond still list newest first, in order. */
const eventId = monotonicIds(EVENT_ID);

export async function recordEvent(trx: Kysely<Database>, input: EventInput): Promise<string> {
  const entry = eventCatalogue[input.type];
  const fields = entry.fields.safeParse(input.fields);
  if (!fields.success)
    throw new EventFieldsError(
      `${input.type} event: ${fields.error.issues.map((i) => `fields.${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  const now = Date.now();
  const id = eventId(now);
  await insertEvent(trx, {
    id,
    type: input.type,
    severity: input.severity ?? entry.severity,
    outcome: entry.outcome satisfies EventOutcome,
    account_id: input.accountId,
    target_type: input.target?.type ?? null,
    target_id: input.target?.id ?? null,
    target_name: input.target?.name ?? null,
    summary: input.summary.slice(0, 500),
    fields: JSON.stringify(fields.data),
    group_key: input.groupKey ?? null,
    url: input.url ?? null,
    created_at: now,
  });
  if (isPostgres(trx)) await sql`select pg_notify(${EVENTS_CHANNEL}, ${id})`.execute(trx);
  else queueMicrotask(() => local.emit("event", id));
  return id;
}

export interface EventSubscription {
  /** settles once notifications of other processes are heard (at once without LISTEN) */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Calls `woken(id)` for each event recorded from now on: on PostgreSQL (with `listenUrl`) the
 * events of every process, by LISTEN; otherwise this process's. `woken(null)` means events may
 * have been missed (LISTEN started or reconnected): read after the cursor then. Events recorded
 * by another process on SQLite (the CLI) are not heard: a reader polls as well.
 */
export function subscribeEvents(
  woken: (id: string | null) => void,
  opts: { listenUrl?: string } = {},
): EventSubscription {
  if (opts.listenUrl) {
    const sub = subscribe(
      opts.listenUrl,
      [EVENTS_CHANNEL],
      (_channel, payload) => woken(payload || null),
      () => woken(null),
    );
    return { ready: () => sub.ready(), close: () => sub.close() };
  }
  const heard = (id: string) => woken(id);
  local.on("event", heard);
  return {
    ready: async () => {},
    close: async () => {
      local.off("event", heard);
    },
  };
}
