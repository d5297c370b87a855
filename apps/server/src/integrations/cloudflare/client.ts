// Cloudflare's REST API v4 (https://developers.cloudflare.com/api/), the part dns-01, zones
// at Cloudflare and tunnels need: token verify, zones, an account's tunnel (cfd_tunnel), DNS records (one at a time, and the batch endpoint
// `POST /zones/{id}/dns_records/batch`: deletes, then puts, then posts, one transaction). `Authorization: Bearer <token>`, JSON both ways, every
// answer the envelope `{success, errors, messages, result}` (lists add `result_info` with the
// page count: every page is read). Requests go out under the outbound policy
// (lib/outbound-http.ts); the base URL is configurable (`cloudflareApi`) so tests talk to
// packages/testkit's fake. A failed call throws a CloudflareError with the API's codes.
import { type OutboundOptions, outboundRequest } from "../../lib/outbound-http.ts";

export const CLOUDFLARE_API = "https://api.cloudflare.com/client/v4";

export interface CloudflareZone {
  id: string;
  name: string;
  status: string;
  /** the name servers Cloudflare assigned the zone */
  name_servers?: string[];
}

/** The record types Steward writes at Cloudflare (those of its zones). */
export type CloudflareType = "A" | "AAAA" | "CNAME" | "MX" | "TXT" | "SRV" | "CAA" | "NS" | "PTR";

/** SRV's and CAA's parts, sent as `data` (Cloudflare writes `content` from them). */
export type RecordData =
  | { priority: number; weight: number; port: number; target: string }
  | { flags: number; tag: string; value: string };

export interface CloudflareRecord {
  id: string;
  name: string;
  type: string;
  content: string;
  ttl: number;
  priority?: number;
  data?: Record<string, unknown>;
  proxied?: boolean;
  comment?: string | null;
}

/** A record as sent: `content`, or `data` for SRV and CAA; MX adds `priority`. */
export interface RecordInput {
  type: CloudflareType;
  name: string;
  content?: string;
  data?: RecordData;
  priority?: number;
  /** seconds, or 1 for "automatic" */
  ttl: number;
  /** only A, AAAA and CNAME may be proxied; Steward asks it only for a tunnel's CNAME */
  proxied?: boolean;
  comment?: string;
}

/** One batch: applied by Cloudflare in one transaction, deletes first, then puts, then posts. */
export interface RecordBatch {
  deletes?: { id: string }[];
  puts?: (RecordInput & { id: string })[];
  posts?: RecordInput[];
}

interface ApiError {
  code: number;
  message: string;
}

/** The API said no: its HTTP status, the codes and messages of its `errors`. */
export class CloudflareError extends Error {
  readonly status: number;
  readonly errors: ApiError[];
  constructor(status: number, errors: ApiError[]) {
    super(
      errors.length
        ? errors.map((e) => `${e.message} (${e.code})`).join("; ")
        : `Cloudflare answered HTTP ${status}`,
    );
    this.status = status;
    this.errors = errors;
  }
  has(code: number) {
    return this.errors.some((e) => e.code === code);
  }
}

/** A Cloudflare Tunnel as `GET /accounts/{account_id}/cfd_tunnel/{tunnel_id}` answers it. */
export interface CloudflareTunnel {
  id: string;
  name: string;
  /** inactive (never run), degraded, healthy, or down (no connection to the edge) */
  status: string;
  connections: {
    colo_name: string;
    opened_at: string;
    origin_ip: string;
    client_version?: string;
  }[];
}

export interface CloudflareClient {
  verifyToken(): Promise<{ id: string; status: string }>;
  zones(name?: string): Promise<CloudflareZone[]>;
  records(zoneId: string, filter: { type?: string; name?: string }): Promise<CloudflareRecord[]>;
  createRecord(zoneId: string, input: RecordInput): Promise<CloudflareRecord>;
  updateRecord(zoneId: string, id: string, input: RecordInput): Promise<CloudflareRecord>;
  deleteRecord(zoneId: string, id: string): Promise<void>;
  batch(zoneId: string, batch: RecordBatch): Promise<Required<RecordBatch>>;
  tunnel(accountId: string, tunnelId: string): Promise<CloudflareTunnel>;
}

const PER_PAGE = 50;
const MAX_PAGES = 200;

export function cloudflareClient(
  token: string,
  base: string,
  outbound: Omit<OutboundOptions, "who">,
): CloudflareClient {
  async function call<T>(
    method: "GET" | "POST" | "PUT" | "DELETE",
    path: string,
    body?: unknown,
  ): Promise<{ result: T; info?: { total_pages?: number } }> {
    const answer = await outboundRequest(
      {
        field: "cloudflareApi",
        method,
        url: `${base}${path}`,
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        redirects: "none",
      },
      { ...outbound, who: "this panel", maxBytes: 4 * 1024 * 1024 },
    );
    let parsed: { success?: boolean; errors?: ApiError[]; result?: T; result_info?: object };
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      throw new CloudflareError(answer.status, []);
    }
    if (answer.status >= 300 || parsed.success !== true)
      throw new CloudflareError(answer.status, parsed.errors ?? []);
    return { result: parsed.result as T, info: parsed.result_info };
  }

  async function all<T>(path: string, query: Record<string, string | undefined>): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const params = new URLSearchParams({ page: String(page), per_page: String(PER_PAGE) });
      for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
      const { result, info } = await call<T[]>("GET", `${path}?${params}`);
      out.push(...result);
      if (page >= (info?.total_pages ?? 1) || result.length === 0) break;
    }
    return out;
  }

  const records = (zoneId: string) => `/zones/${encodeURIComponent(zoneId)}/dns_records`;
  return {
    verifyToken: async () =>
      (await call<{ id: string; status: string }>("GET", "/user/tokens/verify")).result,
    zones: (name) => all<CloudflareZone>("/zones", { name }),
    records: (zoneId, filter) => all<CloudflareRecord>(records(zoneId), filter),
    createRecord: async (zoneId, input) =>
      (await call<CloudflareRecord>("POST", records(zoneId), input)).result,
    updateRecord: async (zoneId, id, input) =>
      (await call<CloudflareRecord>("PUT", `${records(zoneId)}/${encodeURIComponent(id)}`, input))
        .result,
    async deleteRecord(zoneId, id) {
      await call("DELETE", `${records(zoneId)}/${encodeURIComponent(id)}`);
    },
    tunnel: async (accountId, tunnelId) =>
      (
        await call<CloudflareTunnel>(
          "GET",
          `/accounts/${encodeURIComponent(accountId)}/cfd_tunnel/${encodeURIComponent(tunnelId)}`,
        )
      ).result,
    async batch(zoneId, batch) {
      const { result } = await call<Partial<Required<RecordBatch>>>(
        "POST",
        `${records(zoneId)}/batch`,
        batch,
      );
      return { deletes: result.deletes ?? [], puts: result.puts ?? [], posts: result.posts ?? [] };
    },
  };
}
