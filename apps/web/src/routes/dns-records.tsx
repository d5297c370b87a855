// A zone's records: one table grouped by name and type (an RRset's name and type shown once),
// a row to add a record, and each record edited or deleted in its row. Every change is checked
// with the whole zone by the API; its errors show at the field they name, also at another
// record the change conflicts with. A change moves the serial and starts the zone's task.
import { useState } from "react";
import { ConfirmButton } from "../components/confirm-button.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { unshownError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { type DnsRecord, useRecords } from "./dns-parts.tsx";
import {
  emptyDraft,
  type RecordDraft,
  RecordFields,
  recordBody,
  recordError,
} from "./dns-record-fields.tsx";

const SHOWN = ["name", "type", "ttl", "value"];

/** Errors a field of some record shows: its own fields, or records.<id>.<field>. */
const shownIn = (error: unknown, ids: string[]) =>
  unshownError(error, [...SHOWN, ...ids.flatMap((id) => SHOWN.map((f) => `records.${id}.${f}`))]);

export function RecordsCard({ zoneId, canEdit }: { zoneId: string; canEdit: boolean }) {
  const records = useRecords(zoneId);
  const [draft, setDraft] = useState<RecordDraft>(emptyDraft);
  const invalidate = [["dns-records", zoneId], ["dns-zone", zoneId], ["dns-zones"]];
  const add = useApiMutation(
    async (d: RecordDraft) =>
      unwrap(
        await api.POST("/api/v1/dns/zones/{id}/records", {
          params: { path: { id: zoneId } },
          body: recordBody(d),
        }),
      ),
    { invalidate, onSuccess: () => setDraft({ ...emptyDraft, type: draft.type }) },
  );
  const items = [...(records.data ?? [])].sort(
    (a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type),
  );
  const ids = items.map((r) => r.id);
  return (
    <Card title={`Records (${items.length})`} className="min-w-0">
      {records.isError ? <ErrorAlert error={records.error} /> : null}
      <div className="relative overflow-x-auto">
        <table className="w-full min-w-[40rem] text-left text-sm" aria-label="Records">
          <thead className="border-b border-border text-xs text-fg-muted uppercase">
            <tr>
              <th className="px-3 py-2 font-medium">Name</th>
              <th className="px-3 py-2 font-medium">Type</th>
              <th className="px-3 py-2 font-medium">TTL</th>
              <th className="px-3 py-2 font-medium">Value</th>
              <th className="px-3 py-2 text-right font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((record, i) => (
              <RecordRow
                key={record.id}
                zoneId={zoneId}
                record={record}
                first={i === 0 || !sameSet(items[i - 1], record)}
                canEdit={canEdit}
                conflict={add.error}
                ids={ids}
              />
            ))}
            {items.length === 0 && records.isSuccess ? (
              <tr>
                <td colSpan={5} className="px-3 py-6 text-center text-fg-muted">
                  No records yet. Add the first below, or import a zone file.
                </td>
              </tr>
            ) : null}
          </tbody>
          {canEdit ? (
            <tfoot className="border-t-2 border-border">
              <tr>
                <RecordFields
                  prefix="New record"
                  draft={draft}
                  onDraft={setDraft}
                  error={add.error}
                  onSubmit={() => add.mutate(draft)}
                />
                <td className="px-3 py-2 text-right align-top">
                  <Button busy={add.isPending} onClick={() => add.mutate(draft)}>
                    Add record
                  </Button>
                </td>
              </tr>
            </tfoot>
          ) : null}
        </table>
      </div>
      <ErrorAlert error={shownIn(add.error, ids)} className="mt-3" />
    </Card>
  );
}

const sameSet = (a: DnsRecord | undefined, b: DnsRecord) =>
  a !== undefined && a.name === b.name && a.type === b.type;

function RecordRow({
  zoneId,
  record,
  first,
  canEdit,
  conflict,
  ids,
}: {
  zoneId: string;
  record: DnsRecord;
  first: boolean;
  canEdit: boolean;
  /** the error of another change, which may name this record's fields */
  conflict: unknown;
  ids: string[];
}) {
  const [draft, setDraft] = useState<RecordDraft | null>(null);
  const invalidate = [["dns-records", zoneId], ["dns-zone", zoneId], ["dns-zones"]];
  const path = { params: { path: { id: zoneId, recordId: record.id } } };
  const update = useApiMutation(
    async (d: RecordDraft) =>
      unwrap(
        await api.PATCH("/api/v1/dns/zones/{id}/records/{recordId}", {
          ...path,
          body: recordBody(d),
        }),
      ),
    { invalidate, onSuccess: () => setDraft(null) },
  );
  const remove = useApiMutation(
    async () => unwrap(await api.DELETE("/api/v1/dns/zones/{id}/records/{recordId}", path)),
    { invalidate },
  );
  const label = `${record.name} ${record.type} ${record.value}`;
  if (draft) {
    return (
      <tr className="border-t border-border bg-muted/40">
        <RecordFields
          prefix={`Record ${record.name} ${record.type}`}
          draft={draft}
          onDraft={setDraft}
          error={update.error}
          onSubmit={() => update.mutate(draft)}
        />
        <td className="px-3 py-2 align-top">
          <div className="flex justify-end gap-2">
            <Button size="sm" busy={update.isPending} onClick={() => update.mutate(draft)}>
              Save
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setDraft(null)}>
              Cancel
            </Button>
          </div>
          <ErrorAlert error={shownIn(update.error, ids)} className="mt-2" />
        </td>
      </tr>
    );
  }
  const conflictText = SHOWN.map((f) => recordError(conflict, `records.${record.id}.${f}`)).find(
    Boolean,
  );
  return (
    <tr className={first ? "border-t border-border" : ""}>
      <td className="px-3 py-2 font-mono wrap-anywhere">{first ? record.name : ""}</td>
      <td className="px-3 py-2">{first ? record.type : ""}</td>
      <td className="px-3 py-2 tabular-nums">{first ? record.ttl : ""}</td>
      <td className="px-3 py-2 font-mono wrap-anywhere">
        {record.value}
        {conflictText ? (
          <p className="mt-1 font-sans text-xs text-danger" role="alert">
            {conflictText}
          </p>
        ) : null}
      </td>
      <td className="px-3 py-2">
        {canEdit ? (
          <div className="grid justify-items-end gap-1">
            <div className="flex justify-end gap-2">
              <Button
                size="sm"
                variant="secondary"
                aria-label={`Edit ${label}`}
                onClick={() => setDraft({ ...record, ttl: String(record.ttl), type: record.type })}
              >
                Edit
              </Button>
              <ConfirmButton
                size="sm"
                variant="danger"
                aria-label={`Delete ${label}`}
                mutation={remove}
                confirm={{
                  title: "Delete this record?",
                  description: <span className="font-mono wrap-anywhere">{label}</span>,
                  confirmLabel: "Delete record",
                }}
              >
                Delete
              </ConfirmButton>
            </div>
            <ErrorAlert error={remove.error} />
          </div>
        ) : null}
      </td>
    </tr>
  );
}
