// The form of each monitor kind: its settings' fields as the API names them (docs/monitors.md,
// "Kinds"; a nested one as "keyword.text"), so the API's error for `settings.<field>` shows at
// the field; yes/no settings are checkboxes. Texts become values as a channel's do.
import { type FieldSpec, textOf, valuesOf } from "./channel-kinds.ts";
import type { MonitorKind } from "./monitors-parts.tsx";

const host: FieldSpec = { name: "host", label: "Host", hint: "A name or an address." };

export const MONITOR_FIELDS: Record<MonitorKind, FieldSpec[]> = {
  http: [
    { name: "url", label: "URL", hint: "http:// or https://, fetched from the panel." },
    { name: "method", label: "Method", type: "select", options: ["GET", "HEAD", "POST", "PUT"] },
    {
      name: "expectedStatuses",
      label: "Expected status",
      type: "list",
      optional: true,
      hint: "Codes or ranges, comma-separated: 200, 301-302. Any 2xx if empty.",
    },
    { name: "keyword.text", label: "Keyword", optional: true, hint: "A text the answer holds." },
    {
      name: "keyword.mode",
      label: "The keyword must be",
      type: "select",
      options: ["present", "absent"],
    },
    { name: "json.path", label: "JSON path", optional: true, hint: "Like $.status or $.a[0].b" },
    { name: "json.equals", label: "JSON value equals", optional: true, hint: "Compared as text." },
    {
      name: "degradedAboveMs",
      label: "Degraded above (ms)",
      type: "number",
      optional: true,
      hint: "An answer slower than this is degraded.",
    },
    {
      name: "headers",
      label: "Headers",
      type: "headers",
      optional: true,
      hint: "One “Name: value” per line.",
    },
  ],
  tcp: [host, { name: "port", label: "Port", type: "number" }],
  dns: [
    { name: "name", label: "Name", hint: "example.com, _dmarc.example.com" },
    {
      name: "recordType",
      label: "Record type",
      type: "select",
      options: ["A", "AAAA", "CNAME", "MX", "NS", "TXT"],
    },
    { name: "expected", label: "Expected value", optional: true, hint: "Any answer if empty." },
    {
      name: "resolver",
      label: "Resolver",
      optional: true,
      hint: "address:port, 1.1.1.1:53 if empty.",
    },
  ],
  tls: [
    host,
    { name: "port", label: "Port", type: "number", optional: true, hint: "443 if empty." },
    {
      name: "warnDays",
      label: "Warn days",
      type: "number",
      optional: true,
      hint: "Degraded this many days before expiry (14 if empty).",
    },
  ],
  heartbeat: [
    {
      name: "graceSeconds",
      label: "Grace (seconds)",
      type: "number",
      optional: true,
      hint: "How late a report may be before the monitor is down (60 if empty).",
    },
  ],
  ping: [
    host,
    { name: "count", label: "Echo requests", type: "number", optional: true, hint: "3 if empty." },
    {
      name: "degradedAboveMs",
      label: "Degraded above (ms)",
      type: "number",
      optional: true,
      hint: "A slower average round trip is degraded.",
    },
  ],
  rdap: [
    { name: "domain", label: "Domain", hint: "A registered domain: example.com" },
    {
      name: "warnDays",
      label: "Warn days",
      type: "number",
      optional: true,
      hint: "Degraded this many days before the registration expires (30 if empty).",
    },
  ],
};

/** The yes/no settings of a kind, with their defaults. */
export const MONITOR_FLAGS: Partial<Record<MonitorKind, { name: string; label: string }>> = {
  http: { name: "followRedirects", label: "Follow redirects (at most three)" },
  tls: { name: "checkChain", label: "Check the chain (down when it does not verify)" },
};

const at = (settings: Record<string, unknown>, path: string): unknown =>
  path
    .split(".")
    .reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], settings);

/** The form's texts of a monitor's settings (the first option of a choice when unset). */
export function monitorTexts(kind: MonitorKind, settings?: Record<string, unknown>) {
  return Object.fromEntries(
    MONITOR_FIELDS[kind].map((spec) => [
      spec.name,
      textOf(spec, settings ? at(settings, spec.name) : undefined) || (spec.options?.[0] ?? ""),
    ]),
  );
}

/**
 * The settings of the form's texts: "keyword.text" nested as keyword.text; a keyword without
 * its text, or a JSON check without its path, left out.
 */
export function monitorSettingsOf(
  kind: MonitorKind,
  texts: Record<string, string>,
  flag: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = { kind };
  for (const [name, value] of Object.entries(valuesOf(MONITOR_FIELDS[kind], texts))) {
    const [outer, inner] = name.split(".");
    if (!outer) continue;
    if (inner) out[outer] = { ...(out[outer] as object | undefined), [inner]: value };
    else out[outer] = value;
  }
  const keyword = out.keyword as { text?: string } | undefined;
  if (keyword && !keyword.text) delete out.keyword;
  const json = out.json as { path?: string; equals?: string } | undefined;
  if (json && !json.path && !json.equals) delete out.json;
  const flagSpec = MONITOR_FLAGS[kind];
  if (flagSpec) out[flagSpec.name] = flag;
  return out;
}
