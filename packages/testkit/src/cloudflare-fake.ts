// A strict, recording fake of the part of Cloudflare's API v4 Steward uses (token verify,
// zones, DNS records), on 127.0.0.1 and a random port. Every answer is the documented envelope
// `{success, errors, messages, result}` (with `result_info` on lists); anything not shaped as
// the API documents it is refused as Cloudflare does: an unknown route 404 (7000), a wrong
// method 405 (10405), a missing or malformed Authorization header 400 (6003, chain 6111), an
// unknown token 403 (10000; 401 code 1000 on verify), a token without Zone.DNS 403 (10000), a
// body with a missing, extra or mistyped field 400 (9207; per record type:
// cloudflare-fake-records.ts); an account's tunnel (`GET /accounts/{id}/cfd_tunnel/{id}`) to a
// token with the Cloudflare Tunnel permission (403 10000 without; 404 7003 for an unknown id).
// The batch endpoint applies deletes, puts and posts in that
// order, all or none, at most 200 changes. Every request is recorded; TXT records can be
// published to a resolver (pebble's challtestsrv) as they change; `failNext` makes the next
// call answer an error (a rate limit: 429, code 971).
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { runBatch } from "./cloudflare-fake-batch.ts";
import {
  checkRecordBody,
  type FakeRecord,
  identical,
  isRefusal,
  type RecordFields,
  type Refusal,
} from "./cloudflare-fake-records.ts";
import { type FakeTunnel, tunnelAnswer } from "./cloudflare-fake-tunnels.ts";

export interface FakeToken {
  /** the zones the token can see (Zone.Zone read); default every zone */
  zones?: string[];
  /** whether it may read and edit DNS records (Zone.DNS edit); default true */
  dns?: boolean;
  /** false: it may read DNS records but not change them (Zone.DNS read); default true */
  dnsWrite?: boolean;
  /** whether it may read the account's tunnels (Account → Cloudflare Tunnel → Read); default false */
  tunnels?: boolean;
}

export { FAKE_BATCH_MAX } from "./cloudflare-fake-batch.ts";
export type { FakeRecord } from "./cloudflare-fake-records.ts";
export type { FakeTunnel } from "./cloudflare-fake-tunnels.ts";

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
}

export interface CloudflareFakeOptions {
  zones: string[];
  tokens: Record<string, FakeToken>;
  /** Cloudflare accounts (their ids) and their tunnels */
  accounts?: Record<string, FakeTunnel[]>;
  /** told the TXT values of a name each time they change */
  publishTxt?: (name: string, values: string[]) => Promise<void>;
}

export interface CloudflareFake {
  /** the API base, `http://127.0.0.1:PORT/client/v4` */
  base: string;
  requests: FakeRequest[];
  records(): FakeRecord[];
  /** puts a record in a zone as if made in Cloudflare's dashboard (checked like a create) */
  seed(zone: string, body: Record<string, unknown>): FakeRecord;
  /** the next API call answers this error instead */
  failNext(status: number, code: number, message: string): void;
  stop(): Promise<void>;
}

type Answer = { status: number; body: Record<string, unknown> };
const error = (status: number, code: number, message: string, chain?: unknown[]): Answer => ({
  status,
  body: {
    success: false,
    errors: [{ code, message, ...(chain ? { error_chain: chain } : {}) }],
    messages: [],
    result: null,
  },
});
const ok = (result: unknown, extra: Record<string, unknown> = {}): Answer => ({
  status: 200,
  body: { success: true, errors: [], messages: [], result, ...extra },
});
const hex = () => randomBytes(16).toString("hex");
const refused = (r: Refusal) => error(400, r.code, r.message);

export async function startCloudflareFake(opts: CloudflareFakeOptions): Promise<CloudflareFake> {
  const zones = opts.zones.map((name) => ({
    id: hex(),
    name,
    status: "active",
    name_servers: ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"],
  }));
  const records = new Map<string, FakeRecord>();
  const requests: FakeRequest[] = [];
  let failure: Answer | null = null;

  function stored(zone: { id: string; name: string }, fields: RecordFields, id = hex()) {
    const now = new Date().toISOString();
    const created = records.get(id)?.created_on ?? now;
    const rec: FakeRecord = {
      ...fields,
      id,
      zone_id: zone.id,
      zone_name: zone.name,
      created_on: created,
      modified_on: now,
    };
    return rec;
  }

  const publish = async (name: string) => {
    const values = [...records.values()]
      .filter((r) => r.type === "TXT" && r.name === name)
      .map((r) => r.content);
    await opts.publishTxt?.(name, values);
  };

  function page<T>(items: T[], query: Record<string, string>): Answer {
    const perPage = Number(query.per_page ?? 20);
    const at = Number(query.page ?? 1);
    if (!Number.isInteger(perPage) || perPage < 5 || perPage > 50000 || !(at >= 1))
      return error(400, 9207, "Invalid pagination parameters");
    return ok(items.slice((at - 1) * perPage, at * perPage), {
      result_info: {
        page: at,
        per_page: perPage,
        count: Math.min(perPage, Math.max(0, items.length - (at - 1) * perPage)),
        total_count: items.length,
        total_pages: Math.max(1, Math.ceil(items.length / perPage)),
      },
    });
  }

  function checkQuery(query: Record<string, string>, allowed: string[]): Answer | null {
    const extra = Object.keys(query).find((k) => !allowed.includes(k));
    return extra ? error(400, 9207, `Unknown query parameter: ${extra}`) : null;
  }

  /** A create's record in `zone`, or the API's refusal (also for a duplicate). */
  function toCreate(zone: { id: string; name: string }, body: unknown, others: FakeRecord[]) {
    const fields = checkRecordBody(body, zone.name);
    if (isRefusal(fields)) return refused(fields);
    if (others.some((r) => identical(r, fields)))
      return error(400, 81058, "An identical record already exists.");
    return stored(zone, fields);
  }

  /** The batch endpoint (cloudflare-fake-batch.ts): all applied, or none. */
  function batch(zone: { id: string; name: string }, body: unknown): Answer {
    const ofZone = new Map([...records].filter(([, r]) => r.zone_id === zone.id));
    const r = runBatch(body, ofZone, {
      check: (b) => checkRecordBody(b, zone.name),
      store: (fields, id) => stored(zone, fields, id),
    });
    if ("refusal" in r) return error(r.refusal.status, r.refusal.code, r.refusal.message);
    for (const id of ofZone.keys()) if (!r.next.has(id)) records.delete(id);
    for (const [id, rec] of r.next) records.set(id, rec);
    return ok(r.done);
  }

  /** `GET /accounts/{account_id}/cfd_tunnel/{tunnel_id}` (cloudflare-fake-tunnels.ts) */
  function tunnelRoute(
    method: string,
    parts: string[],
    query: Record<string, string>,
    token: FakeToken,
  ): Answer {
    if (method !== "GET" && parts.length === 4) return error(405, 10405, "Method not allowed");
    const bad = checkQuery(query, []);
    if (bad) return bad;
    const r = tunnelAnswer(opts.accounts ?? {}, parts, token.tunnels === true);
    return "refusal" in r
      ? error(r.refusal.status, r.refusal.code, r.refusal.message)
      : ok(r.result);
  }

  async function route(
    method: string,
    parts: string[],
    query: Record<string, string>,
    body: unknown,
    token: FakeToken,
  ): Promise<Answer> {
    const visible = zones.filter((z) => !token.zones || token.zones.includes(z.name));
    if (parts.join("/") === "user/tokens/verify") {
      if (method !== "GET") return error(405, 10405, "Method not allowed");
      return ok({ id: hex(), status: "active" });
    }
    if (parts[0] === "accounts") return tunnelRoute(method, parts, query, token);
    if (parts[0] !== "zones") return error(404, 7000, "No route for that URI");
    if (parts.length === 1) {
      if (method !== "GET") return error(405, 10405, "Method not allowed");
      const bad = checkQuery(query, ["name", "page", "per_page", "status"]);
      if (bad) return bad;
      return page(
        visible.filter((z) => !query.name || z.name === query.name),
        query,
      );
    }
    const zone = visible.find((z) => z.id === parts[1]);
    if (!zone || parts[2] !== "dns_records" || parts.length > 4)
      return error(
        404,
        7003,
        "Could not route to the zone, perhaps your object identifier is invalid?",
      );
    if (!token.dns) return error(403, 10000, "Authentication error");
    if (method !== "GET" && token.dnsWrite === false)
      return error(403, 10000, "Authentication error");
    const ofZone = [...records.values()].filter((r) => r.zone_id === zone.id);
    if (parts[3] === "batch") {
      if (method !== "POST") return error(405, 10405, "Method not allowed");
      const answer = batch(zone, body);
      const changed = new Set(
        ["deletes", "puts", "posts"].flatMap((k) =>
          ((answer.body.result as Record<string, FakeRecord[]> | null)?.[k] ?? []).map(
            (r) => r.name,
          ),
        ),
      );
      for (const name of changed) await publish(name);
      return answer;
    }
    if (parts.length === 3 && method === "GET") {
      const bad = checkQuery(query, ["type", "name", "content", "page", "per_page"]);
      if (bad) return bad;
      return page(
        ofZone.filter(
          (r) =>
            (!query.type || r.type === query.type) &&
            (!query.name || r.name === query.name) &&
            (!query.content || r.content === query.content),
        ),
        query,
      );
    }
    if (parts.length === 3 && method === "POST") {
      const rec = toCreate(zone, body, ofZone);
      if (!("id" in rec)) return rec;
      records.set(rec.id, rec);
      await publish(rec.name);
      return ok(rec);
    }
    const rec = parts[3] ? records.get(parts[3]) : undefined;
    if (parts.length !== 4 || !rec || rec.zone_id !== zone.id)
      return parts.length === 3
        ? error(405, 10405, "Method not allowed")
        : error(404, 81044, "Record does not exist.");
    if (method === "GET") return ok(rec);
    if (method === "DELETE") {
      records.delete(rec.id);
      await publish(rec.name);
      return ok({ id: rec.id });
    }
    if (method === "PUT") {
      const fields = checkRecordBody(body, zone.name);
      if (isRefusal(fields)) return refused(fields);
      records.set(rec.id, stored(zone, fields, rec.id));
      await publish(rec.name);
      if (fields.name !== rec.name) await publish(fields.name);
      return ok(records.get(rec.id));
    }
    return error(405, 10405, "Method not allowed");
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://fake");
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? "GET";
    const text = Buffer.concat(chunks).toString("utf8");
    let body: unknown = null;
    let answer: Answer | null = null;
    if (text) {
      if (!(req.headers["content-type"] ?? "").startsWith("application/json"))
        answer = error(400, 6003, "Invalid request headers", [
          { code: 6105, message: "Invalid Content-Type header, valid values are application/json" },
        ]);
      try {
        body = JSON.parse(text);
      } catch {
        answer ??= error(400, 9207, "Request body is invalid.");
      }
    } else if (method === "POST" || method === "PUT")
      answer = error(400, 9207, "Request body is invalid.");
    const auth = /^Bearer ([A-Za-z0-9_-]{20,})$/.exec(req.headers.authorization ?? "");
    const path = url.pathname;
    if (!answer && !path.startsWith("/client/v4/"))
      answer = error(404, 7000, "No route for that URI");
    if (!answer && !auth)
      answer = error(400, 6003, "Invalid request headers", [
        { code: 6111, message: "Invalid format for Authorization header" },
      ]);
    const token = auth?.[1] ? opts.tokens[auth[1]] : undefined;
    if (!answer && !token)
      answer =
        path === "/client/v4/user/tokens/verify"
          ? error(401, 1000, "Invalid API Token")
          : error(403, 10000, "Authentication error");
    const parts = path.slice("/client/v4/".length).split("/").filter(Boolean);
    if (!answer && failure) {
      answer = failure;
      failure = null;
    }
    answer ??= await route(method, parts, query, body, { dns: true, ...token });
    requests.push({ method, path, query, body, status: answer.status });
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(JSON.stringify(answer.body));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify(error(500, 10001, err.message).body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    base: `http://127.0.0.1:${port}/client/v4`,
    requests,
    records: () => [...records.values()],
    seed(zoneName, body) {
      const zone = zones.find((z) => z.name === zoneName);
      const fields = zone ? checkRecordBody(body, zone.name) : null;
      if (!zone || !fields || isRefusal(fields))
        throw new Error(`seed refused: ${fields && isRefusal(fields) ? fields.message : zoneName}`);
      const rec = stored(zone, fields);
      records.set(rec.id, rec);
      return rec;
    },
    failNext(status, code, message) {
      failure = error(status, code, message);
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
