// Helpers for identity tests: TOTP codes (RFC 6238), cookies from responses, audit rows.
import { createHmac } from "node:crypto";
import type { Selectable } from "kysely";
import type { AuditEventTable } from "../db/schema.ts";
import type { TestServer } from "./harness.ts";

/** The origin better-auth trusts in tests (the harness's public URL). */
export const ORIGIN = "http://localhost:8080";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function base32Decode(s: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of s.replace(/=+$/, "").toUpperCase()) {
    const i = BASE32.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** The current TOTP code of an otpauth:// URI, computed independently of better-auth. */
export function totpOf(uri: string, now = Date.now()): string {
  const params = new URL(uri).searchParams;
  const secret = params.get("secret");
  if (!secret) throw new Error(`no secret in ${uri}`);
  const digits = Number(params.get("digits") ?? 6);
  const period = Number(params.get("period") ?? 30);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 1000 / period)));
  const mac = createHmac("sha1", base32Decode(secret)).update(counter).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(code).padStart(digits, "0");
}

/** The Cookie header a browser would send after these Set-Cookie headers (expired ones dropped). */
export function cookiesFrom(headers: Headers, previous = ""): string {
  const jar = new Map<string, string>();
  for (const part of previous.split("; ").filter(Boolean)) {
    const [name, ...rest] = part.split("=");
    if (name) jar.set(name, rest.join("="));
  }
  for (const line of headers.getSetCookie()) {
    const [pair = "", ...attrs] = line.split(";").map((s) => s.trim());
    const [name, ...rest] = pair.split("=");
    if (!name) continue;
    const value = rest.join("=");
    const expired = attrs.some((a) => /^max-age=0$/i.test(a)) || value === "";
    if (expired) jar.delete(name);
    else jar.set(name, value);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

/** POST to better-auth's endpoints as a browser on the public origin would. */
export function authPost(s: TestServer, path: string, body: unknown, cookie?: string) {
  return s.request("POST", `/api/auth${path}`, {
    body,
    ...(cookie ? { cookie } : {}),
    headers: { origin: ORIGIN },
  });
}

export type AuditRow = Selectable<AuditEventTable>;

/** Audit events, oldest first, optionally of one action. */
export async function auditRows(s: TestServer, action?: string): Promise<AuditRow[]> {
  let q = s.svc.db.db.selectFrom("audit_events").selectAll().orderBy("at").orderBy("id");
  if (action) q = q.where("action", "=", action);
  return q.execute();
}
