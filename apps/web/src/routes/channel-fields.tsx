// The controls of a channel's form: a choice with the API's error for its field, and one field
// of a kind's settings (a secret that is set says so and is kept when left empty).
import { useFieldError } from "../components/api-form.tsx";
import { TextField } from "../components/text-field.tsx";
import { Field } from "../components/ui/field.tsx";
import { Select, Textarea } from "../components/ui/input.tsx";
import type { FieldSpec } from "./channel-kinds.ts";

/** A choice among a few, with the API's error for its field. */
export function PickField({
  label,
  hint,
  field,
  value,
  onValue,
  options,
}: {
  label: string;
  hint?: string;
  field: string;
  value: string;
  onValue: (value: string) => void;
  options: { value: string; label: string }[];
}) {
  return (
    <Field label={label} hint={hint} error={useFieldError(field)}>
      <Select value={value} onChange={(e) => onValue(e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </Select>
    </Field>
  );
}

/** One field of the kind's settings; a secret that is set says so and stays when left empty. */
export function SettingField({
  spec,
  isSet,
  value,
  onValue,
}: {
  spec: FieldSpec;
  isSet: boolean;
  value: string;
  onValue: (value: string) => void;
}) {
  const field = `settings.${spec.name}`;
  const error = useFieldError(field);
  const hint = [
    spec.hint,
    spec.secret && isSet ? "Set: leave empty to keep it, or type a new one." : undefined,
  ]
    .filter(Boolean)
    .join(" ");
  const label = `${spec.label}${spec.optional ? " (optional)" : ""}`;
  if (spec.type === "select")
    return (
      <PickField
        label={label}
        field={field}
        value={value}
        onValue={onValue}
        options={(spec.options ?? []).map((o) => ({ value: o, label: o }))}
      />
    );
  if (spec.type === "headers")
    return (
      <Field label={label} hint={hint || undefined} error={error}>
        <Textarea
          className="font-mono"
          spellCheck={false}
          value={value}
          placeholder={isSet ? "(set)" : "Authorization: Bearer …"}
          onChange={(e) => onValue(e.target.value)}
        />
      </Field>
    );
  return (
    <TextField
      label={label}
      hint={hint || undefined}
      field={field}
      code
      type={spec.secret ? "password" : spec.type === "number" ? "number" : "text"}
      autoComplete={spec.secret ? "new-password" : "off"}
      placeholder={spec.secret && isSet ? "(set)" : undefined}
      value={value}
      onValue={onValue}
    />
  );
}
