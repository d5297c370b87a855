import { isIP } from "node:net";
import { v } from "@steward/contracts";
import { cidr } from "@steward/contracts/net";
import { z } from "zod";

const bool = z
  .union([z.boolean(), z.enum(["1", "0", "true", "false", "yes", "no", "on", "off"])])
  .transform((v) => v === true || v === "1" || v === "true" || v === "yes" || v === "on");

/** One trusted proxy: an IP address or a CIDR range. */
function proxyEntryProblem(entry: string): string | null {
  const [addr = "", bits, ...rest] = entry.split("/");
  const family = isIP(addr);
  if (!family || rest.length) return `"${entry}" is not an IP address or CIDR range`;
  if (bits === undefined) return null;
  const max = family === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max
    ? null
    : `"${entry}": the prefix length must be 0 to ${max}`;
}

/**
 * The reverse proxies whose X-Forwarded-For is believed, as addresses or CIDR ranges: the
 * client address is the rightmost one not in this list. A boolean "trust everything" would
 * let anyone forge their address, so it is refused with what to set instead.
 */
const trustedProxies = z
  .union([z.boolean(), z.string().max(2000), z.array(z.string().max(100)).max(100)])
  .transform((value, ctx): string[] => {
    if (value === false || (typeof value === "string" && /^(|0|false|no|off)$/i.test(value)))
      return [];
    if (value === true || (typeof value === "string" && /^(1|true|yes|on)$/i.test(value))) {
      ctx.addIssue({
        code: "custom",
        message:
          "no longer takes true (that trusted any X-Forwarded-For): list your proxies' addresses or CIDR ranges, e.g. 127.0.0.1 or 10.0.0.0/8,::1",
      });
      return z.NEVER;
    }
    const entries = (Array.isArray(value) ? value : value.split(","))
      .map((e) => e.trim())
      .filter(Boolean);
    for (const entry of entries) {
      const problem = proxyEntryProblem(entry);
      if (problem) {
        ctx.addIssue({ code: "custom", message: problem });
        return z.NEVER;
      }
    }
    return entries;
  });

const databaseUrl = z
  .string()
  .max(2000)
  .refine(
    (s) => /^postgres(ql)?:\/\/[^\s]+$/.test(s) || /^sqlite:[^\s]+$/.test(s),
    "must be postgres://user:pass@host:port/db or sqlite:/path/to/file.db",
  );

/** CIDR ranges: a JSON array in the config file, or separated by commas or spaces. */
const cidrList = z
  .union([z.string().max(10_000), z.array(z.string()).max(200)])
  .transform((s) => (typeof s === "string" ? s.split(/[\s,]+/).filter(Boolean) : s))
  .pipe(z.array(cidr).max(200, "must list at most 200 ranges"));

/** Resolvers to ask (`address` or `address:port`), comma or space separated. */
const resolverList = z
  .union([z.string().max(2000), z.array(z.string()).max(20)])
  .transform((s) => (typeof s === "string" ? s.split(/[\s,]+/).filter(Boolean) : s))
  .pipe(
    z
      .array(z.string().regex(/^[0-9a-fA-F.:[\]]{2,60}$/, "must be an address or address:port"))
      .max(20, "must list at most 20 resolvers"),
  );

/** Every setting, its environment variable, and how it is validated. */
export const settingDefs = {
  dataDir: { env: "STEWARD_DATA_DIR", schema: z.string().min(1).max(1000), default: "./data" },
  databaseUrl: { env: "STEWARD_DATABASE_URL", schema: databaseUrl.optional(), default: undefined },
  port: {
    env: "STEWARD_PORT",
    schema: z.coerce
      .number({ error: "must be a number" })
      .int("must be a whole number")
      .min(1, "must be between 1 and 65535")
      .max(65535, "must be between 1 and 65535"),
    default: 8080,
  },
  listen: {
    env: "STEWARD_LISTEN",
    schema: z
      .string()
      .max(255)
      .regex(/^[A-Za-z0-9.:-]+$/, "must be an IP address or host name"),
    default: "127.0.0.1",
  },
  publicUrl: {
    env: "STEWARD_PUBLIC_URL",
    schema: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
    default: undefined,
  },
  agentDist: {
    env: "STEWARD_AGENT_DIST",
    schema: z.string().min(1).max(1000).optional(),
    default: undefined,
  },
  logLevel: {
    env: "STEWARD_LOG_LEVEL",
    schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
    default: "info",
  },
  masterKey: {
    env: "STEWARD_MASTER_KEY",
    schema: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, "must be 32 bytes in base64 (openssl rand -base64 32)")
      .optional(),
    default: undefined,
  },
  trustProxy: { env: "STEWARD_TRUST_PROXY", schema: trustedProxies, default: [] as string[] },
  bodyLimit: {
    env: "STEWARD_BODY_LIMIT",
    schema: z.coerce
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024),
    default: 1024 * 1024,
  },
  auditRetentionDays: {
    env: "STEWARD_AUDIT_RETENTION_DAYS",
    schema: z.coerce.number().int().min(1).max(36500),
    default: 365,
  },
  eventRetentionDays: {
    env: "STEWARD_EVENT_RETENTION_DAYS",
    schema: z.coerce.number().int().min(1).max(36500),
    default: 90,
  },
  taskLogRetentionDays: {
    env: "STEWARD_TASK_LOG_RETENTION_DAYS",
    schema: z.coerce.number().int().min(1).max(36500),
    default: 30,
  },
  monitorResultRetentionDays: {
    env: "STEWARD_MONITOR_RESULT_RETENTION_DAYS",
    schema: z.coerce.number().int().min(1).max(36500),
    default: 7,
  },
  rdapBootstrapUrl: {
    env: "STEWARD_RDAP_BOOTSTRAP_URL",
    schema: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
    default: "https://data.iana.org/rdap/dns.json",
  },
  roles: {
    env: "STEWARD_ROLES",
    schema: z
      .string()
      .regex(
        /^(all|api|worker|scheduler)(,(api|worker|scheduler))*$/,
        "must be all, or a comma-separated list of api, worker, scheduler",
      ),
    default: "all",
  },
  workerConcurrency: {
    env: "STEWARD_WORKER_CONCURRENCY",
    schema: z.coerce.number().int().min(1).max(1000),
    default: 8,
  },
  taskLeaseSeconds: {
    env: "STEWARD_TASK_LEASE_SECONDS",
    schema: z.coerce.number().int().min(2).max(3600),
    default: 30,
  },
  schedulerStallSeconds: {
    env: "STEWARD_SCHEDULER_STALL_SECONDS",
    schema: z.coerce.number().int().min(5).max(86400),
    default: 60,
  },
  logFile: {
    env: "STEWARD_LOG_FILE",
    schema: v.text(1000).pipe(z.string().min(1, "must be a path")).optional(),
    default: undefined,
  },
  logKeep: {
    env: "STEWARD_LOG_KEEP",
    schema: z.coerce
      .number({ error: "must be a number" })
      .int("must be a whole number")
      .min(1, "must be between 1 and 365")
      .max(365, "must be between 1 and 365"),
    default: 7,
  },
  localAgent: { env: "STEWARD_LOCAL_AGENT", schema: bool, default: true },
  localAgentPort: {
    env: "STEWARD_LOCAL_AGENT_PORT",
    schema: z.coerce
      .number({ error: "must be a number" })
      .int("must be a whole number")
      .min(1, "must be between 1 and 65535")
      .max(65535, "must be between 1 and 65535"),
    default: 7443,
  },
  outboundAllow: { env: "STEWARD_OUTBOUND_ALLOW", schema: cidrList, default: [] },
  outboundDeny: { env: "STEWARD_OUTBOUND_DENY", schema: cidrList, default: [] },
  cmsHostConcurrency: {
    env: "STEWARD_CMS_HOST_CONCURRENCY",
    schema: z.coerce
      .number({ error: "must be a number" })
      .int("must be a whole number")
      .min(1, "must be between 1 and 64")
      .max(64, "must be between 1 and 64"),
    default: 4,
  },
  cmsAbandonedMonths: {
    env: "STEWARD_CMS_ABANDONED_MONTHS",
    schema: z.coerce
      .number({ error: "must be a number" })
      .int("must be a whole number")
      .min(1, "must be between 1 and 240")
      .max(240, "must be between 1 and 240"),
    default: 24,
  },
  wordpressPluginsApi: {
    env: "STEWARD_WORDPRESS_PLUGINS_API",
    schema: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
    default: "https://api.wordpress.org/plugins/info/1.2/",
  },
  chromium: {
    env: "STEWARD_CHROMIUM",
    schema: z.string().min(1).max(1000).startsWith("/", "must be an absolute path"),
    default: "/usr/bin/chromium",
  },
  acmeDirectory: {
    env: "STEWARD_ACME_DIRECTORY",
    schema: z.url({ protocol: /^https$/, error: "must be an https URL" }).optional(),
    default: undefined,
  },
  acmeStaging: { env: "STEWARD_ACME_STAGING", schema: bool, default: false },
  acmeCaFile: {
    env: "STEWARD_ACME_CA_FILE",
    schema: v.text(1000).pipe(z.string().min(1, "must be a path")).optional(),
    default: undefined,
  },
  acmeEmail: { env: "STEWARD_ACME_EMAIL", schema: z.email().optional(), default: undefined },
  acmeDnsResolvers: { env: "STEWARD_ACME_DNS_RESOLVERS", schema: resolverList, default: [] },
  mailDnsResolvers: { env: "STEWARD_MAIL_DNS_RESOLVERS", schema: resolverList, default: [] },
  cloudflareApi: {
    env: "STEWARD_CLOUDFLARE_API",
    schema: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
    default: "https://api.cloudflare.com/client/v4",
  },
  githubApi: {
    env: "STEWARD_GITHUB_API",
    schema: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
    default: "https://api.github.com",
  },
  /** where GitHub's OAuth pages are (authorize, access_token): sign in with GitHub */
  githubWeb: {
    env: "STEWARD_GITHUB_WEB",
    schema: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
    default: "https://github.com",
  },
  tlsCert: {
    env: "STEWARD_TLS_CERT",
    schema: v.text(1000).pipe(z.string().min(1, "must be a path")).optional(),
    default: undefined,
  },
  tlsKey: {
    env: "STEWARD_TLS_KEY",
    schema: v.text(1000).pipe(z.string().min(1, "must be a path")).optional(),
    default: undefined,
  },
  tlsDomain: { env: "STEWARD_TLS_DOMAIN", schema: v.domain.optional(), default: undefined },
  tlsHttpPort: {
    env: "STEWARD_TLS_HTTP_PORT",
    schema: z.coerce
      .number({ error: "must be a number" })
      .int("must be a whole number")
      .min(1, "must be between 1 and 65535")
      .max(65535, "must be between 1 and 65535"),
    default: 80,
  },
  consoleDir: {
    env: "STEWARD_CONSOLE_DIR",
    schema: v.text(1000).pipe(z.string().min(1, "must be a path")).optional(),
    default: undefined,
  },
} as const;

export type SettingKey = keyof typeof settingDefs;
export const settingKeys = Object.keys(settingDefs) as SettingKey[];

export type Settings = {
  dataDir: string;
  databaseUrl: string | undefined;
  port: number;
  listen: string;
  publicUrl: string | undefined;
  /** the single-file agent's builds the panel serves (docs/install.md); unset: <checkout>/dist/agent */
  agentDist: string | undefined;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  masterKey: string | undefined;
  /** reverse proxies (addresses, CIDR ranges) whose X-Forwarded-For is believed */
  trustProxy: string[];
  bodyLimit: number;
  auditRetentionDays: number;
  /** domain events (issue 12) older than this are pruned by the logrotate task */
  eventRetentionDays: number;
  taskLogRetentionDays: number;
  /** how long each check's result of a monitor is kept (applied by the monitor.rollup task) */
  monitorResultRetentionDays: number;
  /** the IANA RDAP bootstrap (dns.json) domain registration monitors start from */
  rdapBootstrapUrl: string;
  /** "all" or a comma-separated list of api, worker, scheduler */
  roles: string;
  workerConcurrency: number;
  taskLeaseSeconds: number;
  schedulerStallSeconds: number;
  /** when set, logs go to this file (rotated by the logrotate task) instead of stdout */
  logFile: string | undefined;
  /** how many rotated log files the logrotate task keeps (steward.log.1, .2.gz ...) */
  logKeep: number;
  /** `serve` also runs and enrolls an agent for this machine (node "local") */
  localAgent: boolean;
  /** the port of that agent, on 127.0.0.1 */
  localAgentPort: number;
  /** ranges every node's outbound targets (proxy upstreams) may reach, whatever their class */
  outboundAllow: string[];
  /** ranges no outbound target may reach, whatever a node allows */
  outboundDeny: string[];
  /** at most this many requests at once to one CMS sites' host (refreshes: docs/cms.md) */
  cmsHostConcurrency: number;
  /** a WordPress plugin with no release in this many months is abandoned (docs/cms.md) */
  cmsAbandonedMonths: number;
  /** wordpress.org's plugins API (plugin_information), under the outbound policy */
  wordpressPluginsApi: string;
  /** Chromium on the panel's machine, for the CMS safe updates' visual check (docs/cms.md) */
  chromium: string;
  /** the ACME directory (default Let's Encrypt production, or staging with acmeStaging) */
  acmeDirectory: string | undefined;
  acmeStaging: boolean;
  /** a PEM file of more CAs to trust for the ACME directory (a test CA such as pebble) */
  acmeCaFile: string | undefined;
  /** the contact of the installation's ACME account */
  acmeEmail: string | undefined;
  /** the resolvers dns-01 asks until a TXT answer is visible (default: the system's) */
  acmeDnsResolvers: string[];
  /** the resolvers a mail domain's DNS check asks (default: the system's) */
  mailDnsResolvers: string[];
  /** Cloudflare's API base (tests point it at a fake) */
  cloudflareApi: string;
  /** GitHub's REST API base (tests point it at a fake) */
  githubApi: string;
  /** GitHub's web base, for its OAuth endpoints (tests point it at a fake) */
  githubWeb: string;
  /** the panel's own HTTPS: a PEM chain (leaf first) and its key; both or neither */
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  /**
   * the panel's own HTTPS with a certificate it obtains by ACME http-01 for this name (kept
   * in the data dir, renewed by the daily scan); exclusive with tlsCert/tlsKey
   */
  tlsDomain: string | undefined;
  /** with tlsDomain: the plain-HTTP port answering the CA's challenges, redirecting the rest */
  tlsHttpPort: number;
  /** the built web console (default: apps/web/dist of this checkout) */
  consoleDir: string | undefined;
  /** where the config file is (whether it exists or not) */
  configFile: string;
};

/** Settings that are secret: never printed in full. */
export const secretSettings: ReadonlySet<SettingKey> = new Set(["masterKey", "databaseUrl"]);
