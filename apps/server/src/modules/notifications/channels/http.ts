// The shared half of every HTTP sender: the request goes out under the outbound policy
// (lib/outbound-http.ts), and whatever happens (refused, timed out, the provider's error)
// becomes a SendResult with every secret of the channel redacted; a sender never throws.
import {
  type ChannelSettings,
  REDACTED,
  SECRET_FIELDS,
  type SendResult,
} from "@steward/contracts/notifications";
import { panelAddresses } from "../../../lib/outbound.ts";
import {
  type OutboundAnswer,
  type OutboundOptions,
  OutboundRefused,
  outboundRequest,
} from "../../../lib/outbound-http.ts";

/** What a sender needs from its caller: the policy of the channel's owner, and test seams. */
export interface SendDeps extends Omit<OutboundOptions, "who"> {
  /** the current time in ms (the webhook's timestamp) */
  now?: () => number;
  /** the base URL of a provider with one fixed API (Pushover): only tests change it */
  apiBase?: string;
}

export interface ProviderCall {
  /** the settings field the URL comes from, named in refusals */
  field: string;
  method: "POST" | "PUT";
  url: string;
  headers?: Record<string, string>;
  body: string;
  contentType?: string;
  /** why a 2xx answer is still a failure (Telegram's ok:false), or null */
  refuse?: (answer: OutboundAnswer) => string | null;
}

const KEEP_REQUEST = 4000;
const KEEP_RESPONSE = 2000;

/** The values to hide: each secret, and of a secret URL its path and query. */
export function secretsOf(settings: ChannelSettings): string[] {
  const out: string[] = [];
  const record = settings as Record<string, unknown>;
  for (const field of SECRET_FIELDS[settings.kind]) {
    const value = record[field];
    if (typeof value === "string" && /^https?:\/\//.test(value)) {
      // a URL's origin says where it went; its path and query hold the credential
      const url = new URL(value);
      out.push(`${url.pathname.slice(1)}${url.search}`);
    } else if (typeof value === "string") out.push(value);
    else if (value && typeof value === "object")
      out.push(...Object.values(value).filter((v): v is string => typeof v === "string"));
  }
  return out.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}

/** The header names whose whole value is a secret (a webhook's custom headers), lower-cased. */
export function secretHeaderNames(settings: ChannelSettings): Set<string> {
  const record = settings as Record<string, unknown>;
  const names = new Set<string>();
  for (const field of SECRET_FIELDS[settings.kind]) {
    const value = record[field];
    if (value && typeof value === "object")
      for (const name of Object.keys(value)) names.add(name.toLowerCase());
  }
  return names;
}

/** Replaces every secret (as written, URL-encoded, JSON-escaped) with REDACTED. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const forms = secrets.flatMap((s) => [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)]);
  return (text) => forms.reduce((t, s) => t.split(s).join(REDACTED), text);
}

const clip = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;

/** The provider's own words from an error answer, or the start of its body. */
export function providerMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    // Power Automate nests its error: {"error":{"code","message"}}
    const nested = parsed.error as Record<string, unknown> | undefined;
    const json = typeof nested === "object" && nested !== null ? { ...parsed, ...nested } : parsed;
    const code = json.errcode ?? (typeof nested === "object" ? json.code : undefined);
    const pick = [json.errorDescription, json.description, json.error, json.message, json.errors]
      .map((v) => (Array.isArray(v) ? v.join("; ") : v))
      .find((v) => typeof v === "string" && v.length > 0) as string | undefined;
    if (pick) return typeof code === "string" ? `${code}: ${pick}` : pick;
  } catch {}
  return clip(body.trim(), 300) || "no message";
}

/** Sends one provider request and records it, redacted: never throws. */
export async function deliver(
  call: ProviderCall,
  settings: ChannelSettings,
  deps: SendDeps,
): Promise<SendResult> {
  const redact = redactor(secretsOf(settings));
  // a secret header is hidden whole, however short (a substring of 3 letters is not safe to
  // replace in the body, but a header's value is known to be the secret)
  const hidden = secretHeaderNames(settings);
  const headers = {
    "content-type": call.contentType ?? "application/json",
    "user-agent": "Steward",
    ...call.headers,
  };
  const request = {
    method: call.method,
    url: redact(call.url),
    headers: Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [
        k,
        hidden.has(k.toLowerCase()) ? REDACTED : redact(v),
      ]),
    ),
    body: clip(redact(call.body), KEEP_REQUEST),
  };
  // a redirect to another origin gets none of the provider's or the user's headers
  const credentialHeaders = [
    "authorization",
    ...Object.keys(call.headers ?? {}).filter((h) => !/^x-steward-/i.test(h)),
  ];
  try {
    const answer = await outboundRequest(
      {
        field: call.field,
        method: call.method,
        url: call.url,
        headers,
        body: call.body,
        credentialHeaders,
      },
      { ...deps, localAddresses: deps.localAddresses ?? panelAddresses(), who: "this panel" },
    );
    const response = clip(redact(answer.body), KEEP_RESPONSE);
    const ok2xx = answer.status >= 200 && answer.status < 300;
    const why = ok2xx
      ? (call.refuse?.(answer) ?? null)
      : answer.status >= 300 && answer.status < 400
        ? `a redirect to ${answer.headers.location ?? "nowhere"}, not followed (only 307 and 308 are)`
        : providerMessage(answer.body);
    if (why === null) return { ok: true, status: answer.status, request, response };
    const error = redact(`${call.field}: the provider answered ${answer.status}: ${why}`);
    return { ok: false, status: answer.status, request, response, error };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const error = redact(e instanceof OutboundRefused ? message : `${call.field}: ${message}`);
    return { ok: false, status: null, request, response: null, error };
  }
}

/** JSON text of a body. */
export const json = (value: unknown) => JSON.stringify(value);

/** A URL under a base URL the user gave (its path kept): join("https://x/ntfy", "topic"). */
export const join = (base: string, path: string) => `${base.replace(/\/+$/, "")}/${path}`;

/** Text cut to a provider's limit, marked when cut. */
export const fit = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;
