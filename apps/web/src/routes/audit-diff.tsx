// An audit event's details: its redacted diff as a before/after table of the fields that
// changed (or a key/value list when it is not a change), with who, from where and which
// request. Values are text only.
import { Term } from "../components/term.tsx";
import type { Item } from "../lib/api.ts";

export type AuditEvent = Item<"/api/v1/audit-events">;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

const text = (v: unknown): string =>
  v === undefined ? "" : typeof v === "string" ? v : (JSON.stringify(v, null, 2) ?? String(v));

function Value({ v }: { v: unknown }) {
  if (v === undefined) return <span className="text-fg-muted">—</span>;
  return (
    <span className="font-mono text-xs whitespace-pre-wrap break-words [overflow-wrap:anywhere]">
      {text(v)}
    </span>
  );
}

/** [field, before, after] rows when the diff is a change; null when it is something else. */
export function changeRows(diff: unknown): [string, unknown, unknown][] | null {
  if (!isObj(diff)) return null;
  const keys = Object.keys(diff);
  if (keys.length === 0) return null;
  // { before?: {...}, after?: {...} }: a record created or removed (or both sides given)
  if (keys.every((k) => k === "before" || k === "after")) {
    const before = diff.before;
    const after = diff.after;
    if ((before === undefined || isObj(before)) && (after === undefined || isObj(after))) {
      const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
      // only the fields that changed (a creation or removal shows every field)
      const changed = fields.filter(
        (f) => JSON.stringify(before?.[f]) !== JSON.stringify(after?.[f]),
      );
      return changed.map((f) => [f, before?.[f], after?.[f]]);
    }
  }
  // { field: { from, to } }: the fields that changed
  if (keys.every((k) => isObj(diff[k]) && ("from" in (diff[k] as Obj) || "to" in (diff[k] as Obj))))
    return keys.map((k) => {
      const c = diff[k] as Obj;
      return [k, c.from, c.to];
    });
  return null;
}

export function AuditDetails({ event }: { event: AuditEvent }) {
  const rows = changeRows(event.diff);
  const diff = event.diff;
  return (
    <div className="grid gap-3">
      <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Term layout="stacked" label="Actor">
          {event.actorName ?? event.actorType}
          {event.actorId ? (
            <span className="block font-mono text-xs text-fg-muted">{event.actorId}</span>
          ) : null}
        </Term>
        <Term layout="stacked" label="IP address">
          {event.ip ?? "—"}
        </Term>
        <Term layout="stacked" label="Request id">
          <span className="font-mono text-xs">{event.requestId ?? "—"}</span>
        </Term>
        <Term layout="stacked" label="Account">
          <span className="font-mono text-xs">{event.accountId ?? "—"}</span>
        </Term>
      </dl>
      {rows ? (
        <div className="overflow-x-auto rounded-md border border-border bg-surface">
          <table className="w-full text-left text-sm" aria-label={`Changes of ${event.action}`}>
            <thead className="border-b border-border text-xs text-fg-muted uppercase">
              <tr>
                <th scope="col" className="px-3 py-1.5 font-medium">
                  Field
                </th>
                <th scope="col" className="px-3 py-1.5 font-medium">
                  Before
                </th>
                <th scope="col" className="px-3 py-1.5 font-medium">
                  After
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(([field, before, after]) => (
                <tr key={field} className="border-b border-border last:border-0 align-top">
                  <th scope="row" className="px-3 py-1.5 font-mono text-xs font-medium break-all">
                    {field}
                  </th>
                  <td className="px-3 py-1.5">
                    <Value v={before} />
                  </td>
                  <td className="px-3 py-1.5">
                    <Value v={after} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : diff === null || diff === undefined ? (
        <p className="text-sm text-fg-muted">No details were recorded with this event.</p>
      ) : isObj(diff) ? (
        <dl className="grid gap-2 rounded-md border border-border bg-surface p-3">
          {Object.entries(diff).map(([k, v]) => (
            <div key={k} className="grid gap-0.5 sm:grid-cols-[12rem_1fr] sm:gap-3">
              <dt className="font-mono text-xs font-medium break-all">{k}</dt>
              <dd className="min-w-0">
                <Value v={v} />
              </dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="rounded-md border border-border bg-surface p-3">
          <Value v={diff} />
        </p>
      )}
    </div>
  );
}
