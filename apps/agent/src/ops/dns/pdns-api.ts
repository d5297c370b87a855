// PowerDNS's HTTP API on the node (/api/v1/servers/<id>/zones), with the API key from the
// agent's configuration, never the panel's. Every call is a recorded step.
import type { OpContext } from "../types.ts";
import { OpFailure } from "../types.ts";

export interface RRset {
  name: string;
  type: string;
  ttl?: number;
  changetype?: "REPLACE" | "DELETE";
  records?: { content: string; disabled: boolean }[];
}

export interface PdnsZone {
  rrsets: RRset[];
}

export interface PdnsAnswer {
  status: number;
  body: unknown;
}

export async function pdns(
  ctx: OpContext,
  method: "GET" | "POST" | "PATCH" | "DELETE" | "PUT",
  path: string,
  body?: unknown,
): Promise<PdnsAnswer> {
  const { apiUrl, apiKey, serverId } = ctx.config.dns.powerdns;
  if (!apiKey) throw new OpFailure("CONFIG", "agent.json dns.powerdns.apiKey is not set");
  const url = `${apiUrl.replace(/\/$/, "")}/api/v1/servers/${serverId}${path}`;
  return ctx.step(`PowerDNS API: ${method} ${path}`, async () => {
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { "X-API-Key": apiKey, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: ctx.signal,
      });
    } catch (error) {
      throw new OpFailure(
        "NOT_RUNNING",
        `PowerDNS's API at ${apiUrl} cannot be reached: ${(error as Error).message}`,
      );
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: kept as text
    }
    return { status: response.status, body: parsed };
  });
}

/** The API's error message of an answer ({"error": "..."}), or its status. */
export const apiError = (a: PdnsAnswer) =>
  typeof a.body === "object" && a.body && "error" in a.body
    ? String((a.body as { error: unknown }).error)
    : `HTTP ${a.status}`;
