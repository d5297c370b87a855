// One record's fields in a row of the zone's table (name, type, TTL, value), each with the
// API's error for it under the control: the record being added or edited names its fields
// ("value"), another record a change conflicts with names them as records.<id>.<field>.
import { Input, Select } from "../components/ui/input.tsx";
import { fieldError } from "../lib/errors.ts";
import { RECORD_TYPES, type RecordType, VALUE_HINTS } from "./dns-parts.tsx";

export interface RecordDraft {
  name: string;
  type: RecordType;
  ttl: string;
  value: string;
}

export const emptyDraft: RecordDraft = { name: "", type: "A", ttl: "3600", value: "" };

/** The body the API takes for a draft (the TTL as a number, the name "@" when empty). */
export const recordBody = (d: RecordDraft) => ({
  name: d.name.trim() || "@",
  type: d.type,
  ttl: Number(d.ttl),
  value: d.value.trim(),
});

/** The API's error of one field: the draft's own, or this record's in another change. */
export function recordError(error: unknown, field: string, recordId?: string) {
  return (
    fieldError(error, field) ??
    (recordId ? fieldError(error, `records.${recordId}.${field}`) : undefined)
  );
}

function ErrorNote({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p id={id} className="mt-1 text-xs text-danger wrap-anywhere" role="alert">
      {error}
    </p>
  ) : null;
}

export function RecordFields({
  prefix,
  draft,
  onDraft,
  error,
  onSubmit,
}: {
  /** names the inputs for screen readers ("New record", "Record www A") */
  prefix: string;
  draft: RecordDraft;
  onDraft: (d: RecordDraft) => void;
  error: unknown;
  onSubmit: () => void;
}) {
  const set = (patch: Partial<RecordDraft>) => onDraft({ ...draft, ...patch });
  const keys = (e: { key: string; preventDefault: () => void }) => {
    if (e.key === "Enter") {
      e.preventDefault();
      onSubmit();
    }
  };
  const errors = {
    name: recordError(error, "name"),
    type: recordError(error, "type"),
    ttl: recordError(error, "ttl"),
    value: recordError(error, "value"),
  };
  const id = (field: string) => `${prefix.replace(/\W+/g, "-")}-${field}-error`;
  const input = (field: keyof typeof errors) => ({
    "aria-label": `${prefix}: ${field}`,
    "aria-invalid": errors[field] ? true : undefined,
    "aria-describedby": errors[field] ? id(field) : undefined,
    onKeyDown: keys,
  });
  return (
    <>
      <td className="px-3 py-2 align-top">
        <Input
          {...input("name")}
          className="font-mono"
          spellCheck={false}
          placeholder="@"
          maxLength={253}
          value={draft.name}
          onChange={(e) => set({ name: e.target.value })}
        />
        <ErrorNote id={id("name")} error={errors.name} />
      </td>
      <td className="px-3 py-2 align-top">
        <Select
          {...input("type")}
          className="w-24"
          value={draft.type}
          onChange={(e) => set({ type: e.target.value as RecordType })}
        >
          {RECORD_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </Select>
        <ErrorNote id={id("type")} error={errors.type} />
      </td>
      <td className="px-3 py-2 align-top">
        <Input
          {...input("ttl")}
          className="w-24"
          type="number"
          min={30}
          value={draft.ttl}
          onChange={(e) => set({ ttl: e.target.value })}
        />
        <ErrorNote id={id("ttl")} error={errors.ttl} />
      </td>
      <td className="px-3 py-2 align-top">
        <Input
          {...input("value")}
          className="font-mono"
          spellCheck={false}
          placeholder={VALUE_HINTS[draft.type]}
          maxLength={4000}
          value={draft.value}
          onChange={(e) => set({ value: e.target.value })}
        />
        <ErrorNote id={id("value")} error={errors.value} />
      </td>
    </>
  );
}
