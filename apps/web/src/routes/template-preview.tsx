// The preview of a message template: the source as the server renders it with the type's
// sample event, in one output format (a Markdown template in each flavour), a moment after
// typing stops; HTML in a sandboxed frame, everything else as text.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Card } from "../components/ui/card.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, type Schema, unwrap } from "../lib/api.ts";
import { fieldError } from "../lib/errors.ts";

export type Template = Schema<"/api/v1/message-templates", "get">["items"][number];

/** The output formats a template format renders to (a Markdown one to each flavour). */
const OUTPUTS = {
  text: ["text"],
  markdown: ["markdown", "slack", "telegram", "discord"],
  html: ["html"],
} as const;

/** A labelled choice among a few values. */
export function Choice(p: {
  label: string;
  className: string;
  value: string;
  onValue: (value: string) => void;
  options: { value: string; label: string }[];
}) {
  return (
    <Select
      aria-label={p.label}
      className={p.className}
      value={p.value}
      onChange={(e) => p.onValue(e.target.value)}
    >
      {p.options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </Select>
  );
}

/** `value`, once it has not changed for `ms`. */
function useSettled<T>(value: T, ms = 400): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The source as the API renders it with the type's sample event, in one output format. */
export function Preview({
  template,
  subject,
  body,
}: {
  template: Template;
  subject: string;
  body: string;
}) {
  const outputs = OUTPUTS[template.format];
  const [output, setOutput] = useState<string>(outputs[0]);
  const source = useSettled({ subject, body });
  const preview = useQuery({
    queryKey: ["template-preview", template.type, output, source],
    queryFn: async () =>
      unwrap(
        await api.POST("/api/v1/message-templates/preview", {
          body: { type: template.type, format: output as "text", ...source },
        }),
      ),
    placeholderData: (previous) => previous,
    retry: false,
  });
  const problem = fieldError(preview.error, "subject") ?? fieldError(preview.error, "body");
  return (
    <Card
      title="Preview"
      actions={
        outputs.length > 1 ? (
          <Choice
            label="Preview as"
            className="w-36"
            value={output}
            onValue={setOutput}
            options={outputs.map((o) => ({ value: o, label: o }))}
          />
        ) : undefined
      }
    >
      <div className="grid gap-3">
        <p className="text-xs text-fg-muted">
          Rendered by the server with a sample {template.type} event.
        </p>
        {problem ? (
          <p className="text-sm text-danger">{problem}</p>
        ) : (
          <ErrorAlert error={problem ? null : preview.error} />
        )}
        <p className="font-medium wrap-anywhere" data-testid="preview-subject">
          {preview.data?.subject}
        </p>
        {output === "html" ? (
          <iframe
            title="HTML preview"
            sandbox=""
            className="h-72 w-full rounded-md border border-border bg-white"
            srcDoc={preview.data?.body ?? ""}
          />
        ) : (
          <pre
            className="max-h-96 overflow-auto rounded-md bg-muted p-3 font-mono text-xs whitespace-pre-wrap wrap-anywhere"
            data-testid="preview-body"
          >
            {preview.data?.body}
          </pre>
        )}
      </div>
    </Card>
  );
}
