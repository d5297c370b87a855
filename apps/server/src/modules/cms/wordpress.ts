// The panel's client of a WordPress site: its REST API (/wp-json/) and the Steward connector's
// routes (steward/v1: connectors/wordpress/steward-connector), authenticated with a user's
// application password, every request under the outbound (SSRF) policy at connect time.
import type { CmsExtension, CmsInfo } from "@steward/contracts";
import type { OutboundPolicy } from "@steward/contracts/net";
import { z } from "zod";
import { panelAddresses, type Resolve } from "../../lib/outbound.ts";
import { type OutboundAnswer, outboundRequest } from "../../lib/outbound-http.ts";

/** The connector version this panel speaks; an older one is a warning. */
export const CONNECTOR_VERSION = "0.4.0";
export const USER_AGENT = `Steward/${CONNECTOR_VERSION} (+https://steward.dev/docs/cms)`;
/**
 * How long a site's API call may take unless it says otherwise: a cold PHP on a busy shared
 * host can take well over ten seconds to answer its first REST request (docs/cms.md#tcp-timeout).
 */
export const SITE_ANSWER_MS = 30_000;

export interface WpTarget {
  url: string;
  username: string;
  password: string;
}

export interface WpOptions {
  policy: OutboundPolicy;
  resolve?: Resolve;
}

type Call = {
  method: "GET" | "POST";
  path: string;
  auth?: boolean;
  body?: unknown;
  timeoutMs?: number;
};

/** One request to the site's REST API (`path` after /wp-json). */
export function wpRequest(
  target: WpTarget,
  options: WpOptions,
  call: Call,
): Promise<OutboundAnswer> {
  const headers: Record<string, string> = { accept: "application/json", "user-agent": USER_AGENT };
  if (call.auth) {
    const token = Buffer.from(`${target.username}:${target.password}`).toString("base64");
    headers.authorization = `Basic ${token}`;
  }
  if (call.body !== undefined) headers["content-type"] = "application/json";
  return outboundRequest(
    {
      field: "url",
      method: call.method,
      url: `${target.url.replace(/\/+$/, "")}/wp-json${call.path}`,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      redirects: call.method === "GET" ? "all" : "preserving",
    },
    {
      policy: options.policy,
      who: "this panel",
      localAddresses: panelAddresses(),
      resolve: options.resolve,
      timeoutMs: call.timeoutMs ?? SITE_ANSWER_MS,
      maxBytes: 4 * 1024 * 1024,
    },
  );
}

/** The answer's JSON, or undefined when it is not JSON. */
export function jsonOf(answer: OutboundAnswer): unknown {
  if (answer.truncated) return undefined;
  try {
    return JSON.parse(answer.body) as unknown;
  } catch {
    return undefined;
  }
}

const extension = z.object({
  slug: z.string().max(300),
  name: z.string().max(300),
  version: z.string().max(100),
  active: z.boolean(),
  update: z.string().max(100).nullable(),
});

/** What the connector's `info` answers (checked: it comes from outside). */
export const connectorInfo = z.object({
  connector: z.string().max(50),
  wordpress: z.string().max(50),
  php: z.string().max(100),
  database: z.string().max(200),
  siteUrl: z.string().max(2048),
  timezone: z.string().max(100),
  coreUpdate: z.string().max(50).nullable(),
  plugins: z.array(extension).max(5000),
  themes: z.array(extension).max(1000),
  /** the update under way on the site (connector 0.4.0; absent from older ones) */
  updating: z
    .object({ what: z.string().max(300), since: z.number() })
    .nullable()
    .optional(),
});

export const toInfo = (raw: z.infer<typeof connectorInfo>): CmsInfo => ({
  connector: raw.connector,
  core: raw.wordpress,
  php: raw.php,
  database: raw.database,
  siteUrl: raw.siteUrl,
  timezone: raw.timezone,
  coreUpdate: raw.coreUpdate,
  extensions: [
    ...raw.plugins.map((p): CmsExtension => ({ type: "plugin", ...p })),
    ...raw.themes.map((t): CmsExtension => ({ type: "theme", ...t })),
  ],
});

/** What the connector's `update` answers. */
export const connectorUpdate = z.object({
  ok: z.boolean(),
  type: z.enum(["core", "plugin", "theme"]),
  slug: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  error: z.string().nullable(),
  log: z.array(z.string()),
});
export type ConnectorUpdate = z.infer<typeof connectorUpdate>;

export class ConnectorError extends Error {
  /** the site's HTTP status, when it answered one */
  readonly status?: number;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

/** The connector's answer to `call`, parsed by `schema`; a ConnectorError otherwise. */
export async function connector<S extends z.ZodType>(
  target: WpTarget,
  options: WpOptions,
  call: Call,
  schema: S,
): Promise<z.infer<S>> {
  const answer = await wpRequest(target, options, { ...call, auth: true });
  const body = jsonOf(answer);
  if (answer.status !== 200) {
    const message = (body as { message?: unknown } | undefined)?.message;
    throw new ConnectorError(
      `the site answered HTTP ${answer.status}${typeof message === "string" ? `: ${message.slice(0, 300)}` : ""}`,
      answer.status,
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ConnectorError("the connector's answer is not what it should be");
  return parsed.data;
}

/** The connector's `info` as it answered it (`updating` included). */
export const readConnectorInfo = (target: WpTarget, options: WpOptions, check: boolean) =>
  connector(
    target,
    options,
    { method: "GET", path: `/steward/v1/info${check ? "?check=1" : ""}`, timeoutMs: 60_000 },
    connectorInfo,
  );

export const readInfo = (target: WpTarget, options: WpOptions, check: boolean) =>
  readConnectorInfo(target, options, check).then(toInfo);

export const applyUpdate = (
  target: WpTarget,
  options: WpOptions,
  update: { type: "core" | "plugin" | "theme"; slug: string },
) =>
  connector(
    target,
    options,
    { method: "POST", path: "/steward/v1/update", body: update, timeoutMs: 300_000 },
    connectorUpdate,
  );
