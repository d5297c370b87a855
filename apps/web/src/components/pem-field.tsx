// A PEM text area with a file input next to it (a certificate, its chain, a private key):
// pasted, or read from a file, whose text replaces the area's.
import { Field } from "./ui/field.tsx";
import { Textarea } from "./ui/input.tsx";

/** A PEM text area with a file input next to it (the file's text replaces the area's). */
export function PemField({
  label,
  hint,
  error,
  value,
  onValue,
  placeholder,
}: {
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onValue: (v: string) => void;
  placeholder: string;
}) {
  return (
    <div className="grid gap-1">
      <Field label={label} hint={hint} error={error}>
        <Textarea
          className="min-h-24 font-mono text-xs"
          spellCheck={false}
          placeholder={placeholder}
          value={value}
          onChange={(e) => onValue(e.target.value)}
        />
      </Field>
      <label className="text-xs text-fg-muted">
        <span className="sr-only">{`Read the ${label.toLowerCase()} from a file`}</span>
        <input
          type="file"
          accept=".pem,.crt,.key,.cer,text/plain"
          className="text-xs"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (file) onValue(await file.text());
          }}
        />
      </label>
    </div>
  );
}
