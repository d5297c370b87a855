// Message templates (super users): pick an event type and a template format, edit its subject
// and body, see them rendered by the API with the type's sample event as you type, save, or
// reset to the default after confirming.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ApiForm, useFieldError } from "../components/api-form.tsx";
import { ConfirmButton } from "../components/confirm-button.tsx";
import { PageHeader } from "../components/page.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Card } from "../components/ui/card.tsx";
import { Field } from "../components/ui/field.tsx";
import { Input, Textarea } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { formatDateTime } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { Choice, Preview, type Template } from "./template-preview.tsx";

type TemplateFormat = Template["format"];

const FORMATS = [
  { value: "text", label: "Plain text" },
  { value: "markdown", label: "Markdown" },
  { value: "html", label: "HTML (email)" },
];

function useTemplates() {
  return useQuery({
    queryKey: ["templates"],
    queryFn: async () => unwrap(await api.GET("/api/v1/message-templates")).items,
  });
}

export function TemplatesPage() {
  const templates = useTemplates();
  const items = templates.data ?? [];
  const types = [...new Set(items.map((t) => t.type))];
  const [type, setType] = useState("monitor.down");
  const [format, setFormat] = useState<TemplateFormat>("text");
  const current = items.find((t) => t.type === type && t.format === format);
  return (
    <>
      <PageHeader
        title="Message templates"
        description="What each notification says, per event type and format. Values are escaped for each format; template syntax in a value is never run."
      />
      <ErrorAlert error={templates.error} />
      <div className="mb-4 flex flex-wrap gap-3">
        <Choice
          label="Event type"
          className="w-60"
          value={type}
          onValue={setType}
          options={types.map((t) => ({
            value: t,
            label: items.some((i) => i.type === t && i.customised) ? `${t} (customised)` : t,
          }))}
        />
        <Choice
          label="Format"
          className="w-40"
          value={format}
          onValue={(v) => setFormat(v as TemplateFormat)}
          options={FORMATS}
        />
      </div>
      {current ? (
        <TemplateEditor key={`${type}/${format}/${current.updatedAt}`} template={current} />
      ) : null}
    </>
  );
}

function TemplateEditor({ template }: { template: Template }) {
  const [subject, setSubject] = useState(template.subject);
  const [body, setBody] = useState(template.body);
  const path = { params: { path: { type: template.type, format: template.format } } } as const;
  const save = useApiMutation(
    async (input: { subject: string; body: string }) =>
      unwrap(await api.PUT("/api/v1/message-templates/{type}/{format}", { ...path, body: input })),
    { invalidate: [["templates"]] },
  );
  const reset = useApiMutation(
    async () => unwrap(await api.DELETE("/api/v1/message-templates/{type}/{format}", path)),
    { invalidate: [["templates"]] },
  );
  return (
    <div className="grid gap-6 xl:grid-cols-2 xl:items-start">
      <Card
        title="Template"
        actions={
          template.customised ? (
            <span className="flex items-center gap-2">
              <Badge tone="info">customised</Badge>
              <ConfirmButton
                size="sm"
                variant="danger"
                mutation={reset}
                confirm={{
                  title: `Reset ${template.type} (${template.format}) to the default?`,
                  description: "The installation's version is removed; the default is used again.",
                  confirmLabel: "Reset to default",
                }}
              >
                Reset
              </ConfirmButton>
            </span>
          ) : (
            <Badge>default</Badge>
          )
        }
      >
        <ApiForm
          mutation={save}
          input={{ subject, body }}
          shown={["subject", "body"]}
          submitLabel="Save template"
          onCancel={() => {
            setSubject(template.subject);
            setBody(template.body);
          }}
        >
          <SourceFields subject={subject} body={body} setSubject={setSubject} setBody={setBody} />
          {template.updatedAt ? (
            <p className="text-xs text-fg-muted">
              Changed by {template.updatedBy ?? "someone"} on {formatDateTime(template.updatedAt)}.
            </p>
          ) : null}
        </ApiForm>
        <ErrorAlert error={reset.error} />
      </Card>
      <Preview template={template} subject={subject} body={body} />
    </div>
  );
}

function SourceFields(p: {
  subject: string;
  body: string;
  setSubject: (v: string) => void;
  setBody: (v: string) => void;
}) {
  const hint =
    'Liquid: {{ event.summary }}, {{ fields.<name> }}, {{ event.url | link: "Open" }}, {{ x | strong }}.';
  return (
    <>
      <Field label="Subject" error={useFieldError("subject")}>
        <Input
          className="font-mono"
          spellCheck={false}
          value={p.subject}
          maxLength={8000}
          onChange={(e) => p.setSubject(e.target.value)}
        />
      </Field>
      <Field label="Body" hint={hint} error={useFieldError("body")}>
        <Textarea
          className="min-h-72 font-mono text-xs"
          spellCheck={false}
          value={p.body}
          maxLength={8000}
          onChange={(e) => p.setBody(e.target.value)}
        />
      </Field>
    </>
  );
}
