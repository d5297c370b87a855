// What a monitor checks (issue 12, "Monitors"): one strict schema per kind, told apart by
// `kind`, every error naming its field (settings.url, settings.resolver…). Targets are judged
// like every outbound target (net/target.ts); whether the policy lets a monitor reach them is
// decided by the panel at input and again at every check's connect time.
import { z } from "zod";
import { hostTarget } from "../net/target.ts";
import { httpHeaders, targetUrl } from "../notifications/channels.ts";
import { port, text } from "../validators.ts";

/** A host name or an IP address, judged as an outbound target's host. */
export const host = z
  .string()
  .min(1, "must not be empty")
  .max(253, "must be at most 253 characters")
  .superRefine((s, ctx) => {
    const t = hostTarget(s, 1);
    if (typeof t === "string")
      ctx.addIssue({
        code: "custom",
        message: t.startsWith("must be http") ? "must be a host name or an IP address" : t,
      });
  });

const required = (max: number) => text(max).pipe(z.string().min(1, "must not be empty"));

/** A status or an inclusive range of statuses: "200", "200-299". */
const STATUS = /^([1-5][0-9]{2})(-([1-5][0-9]{2}))?$/;
const statusRange = z
  .string()
  .regex(STATUS, 'must be a status like "200" or a range like "200-299"')
  .refine((s) => {
    const [, from, , to] = STATUS.exec(s) ?? [];
    return !to || Number(to) >= Number(from);
  }, "must be a range from a lower to a higher status");

/** Whether `status` is one of `ranges` ("200", "200-299"). */
export function statusMatches(ranges: readonly string[], status: number): boolean {
  return ranges.some((r) => {
    const [, from, , to] = STATUS.exec(r) ?? [];
    return status >= Number(from) && status <= Number(to ?? from);
  });
}

/** A path into a JSON answer: $.a.b[0].c */
const JSON_PATH = /^\$((\.[A-Za-z_$][A-Za-z0-9_$-]{0,63})|(\[[0-9]{1,6}\]))*$/;

export const httpMonitor = z.strictObject({
  kind: z.literal("http"),
  url: targetUrl,
  method: z.enum(["GET", "HEAD", "POST", "PUT"]).default("GET"),
  /** the answer's status must be one of these */
  expectedStatuses: z
    .array(statusRange)
    .min(1, "must list at least one status")
    .max(20, "must list at most 20")
    .default(["200-299"]),
  /** a text the answer's body must contain (present) or must not (absent) */
  keyword: z
    .strictObject({ text: required(200), mode: z.enum(["present", "absent"]).default("present") })
    .optional(),
  /** a value of the JSON answer, compared as text: {"path": "$.status", "equals": "ok"} */
  json: z
    .strictObject({
      path: z.string().max(200).regex(JSON_PATH, 'must be a path like "$.status" or "$.a[0].b"'),
      equals: text(500),
    })
    .optional(),
  /** an answer slower than this is "degraded" (milliseconds) */
  degradedAboveMs: z.number().int().min(1).max(120_000, "must be at most 120000").optional(),
  /** follow 301, 302, 303, 307 and 308 (at most three, each target checked again) */
  followRedirects: z.boolean().default(true),
  headers: httpHeaders.default({}),
  body: z.string().max(8000, "must be at most 8000 characters").optional(),
});

export const tcpMonitor = z.strictObject({ kind: z.literal("tcp"), host, port });

export const dnsRecordTypes = ["A", "AAAA", "CNAME", "MX", "NS", "TXT"] as const;
const DNS_NAME =
  /^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z]{2,63}\.?$/;
/** A resolver as address:port: 192.0.2.53:53, [2001:db8::53]:53 */
const RESOLVER = /^(\[[0-9A-Fa-f:.]+\]|[0-9.]+):([0-9]{1,5})$/;

/** A valid resolver's address and port ("[2001:db8::53]:53" → 2001:db8::53, 53). */
export function resolverAddress(resolver: string): { host: string; port: number } {
  const m = RESOLVER.exec(resolver);
  return { host: (m?.[1] ?? "").replace(/^\[|\]$/g, ""), port: Number(m?.[2] ?? 53) };
}

export const dnsMonitor = z.strictObject({
  kind: z.literal("dns"),
  name: z.string().regex(DNS_NAME, "must be a DNS name like example.com or _dmarc.example.com"),
  recordType: z.enum(dnsRecordTypes).default("A"),
  /** one of the answers must be this (an address, a name, a TXT string); any answer if absent */
  expected: text(500).optional(),
  resolver: z
    .string()
    .max(60)
    .superRefine((s, ctx) => {
      const m = RESOLVER.exec(s);
      const t = m ? hostTarget(m[1] ?? "", Number(m[2])) : "must be an address and port";
      const why =
        typeof t === "string"
          ? `${t}: must be an IP address and port like 192.0.2.53:53`
          : t.ip
            ? null
            : "must be an IP address and port like 192.0.2.53:53";
      if (why) ctx.addIssue({ code: "custom", message: why });
    })
    .default("1.1.1.1:53"),
});

export const tlsMonitor = z.strictObject({
  kind: z.literal("tls"),
  host,
  port: port.default(443),
  /** "degraded" when the certificate expires within this many days */
  warnDays: z.number().int().min(0).max(365, "must be at most 365").default(14),
  /** "down" when the chain does not verify (self-signed, unknown CA, wrong name) */
  checkChain: z.boolean().default(true),
});

export const heartbeatMonitor = z.strictObject({
  kind: z.literal("heartbeat"),
  /** how long past its interval a ping may be late before the monitor is down (seconds) */
  graceSeconds: z.number().int().min(0).max(86_400, "must be at most 86400").default(60),
});

/** ICMP echo (the system's ping): loss and round trip; no port, a host name or an IP address. */
export const pingMonitor = z.strictObject({
  kind: z.literal("ping"),
  host,
  /** echo requests per check */
  count: z.number().int().min(1).max(10, "must be at most 10").default(3),
  /** "degraded" when the average round trip is slower than this (milliseconds) */
  degradedAboveMs: z.number().int().min(1).max(60_000, "must be at most 60000").optional(),
});

/** A registered domain's expiry, read over RDAP (the IANA bootstrap names its server). */
export const rdapMonitor = z.strictObject({
  kind: z.literal("rdap"),
  domain: z
    .string()
    .max(253, "must be at most 253 characters")
    .regex(DNS_NAME, "must be a domain name like example.com"),
  /** "degraded" when the registration expires within this many days */
  warnDays: z.number().int().min(0).max(365, "must be at most 365").default(30),
});

export const monitorSettings = z.discriminatedUnion(
  "kind",
  [httpMonitor, tcpMonitor, dnsMonitor, tlsMonitor, heartbeatMonitor, pingMonitor, rdapMonitor],
  { error: "must name a kind: http, tcp, dns, tls, heartbeat, ping or rdap" },
);
export type MonitorSettings = z.output<typeof monitorSettings>;
export type MonitorKind = MonitorSettings["kind"];
export type MonitorOf<K extends MonitorKind> = Extract<MonitorSettings, { kind: K }>;
export const monitorKinds = ["http", "tcp", "dns", "tls", "heartbeat", "ping", "rdap"] as const;
export const monitorKind = z.enum(monitorKinds);

/** What a monitor checks, in one line: its URL, host:port, name and type, or "heartbeat". */
export function monitorTarget(s: MonitorSettings): string {
  switch (s.kind) {
    case "http":
      return s.url;
    case "tcp":
    case "tls":
      return `${s.host.includes(":") ? `[${s.host}]` : s.host}:${s.port}`;
    case "dns":
      return `${s.name} ${s.recordType} @${s.resolver}`;
    case "heartbeat":
      return "heartbeat";
    case "ping":
      return s.host;
    case "rdap":
      return `${s.domain} registration`;
  }
}
