// DNSSEC on PowerDNS (docs/dns.md): a signed zone has one active CSK (ECDSA P-256) made by the
// API's cryptokeys endpoint, and is rectified after signing; unsigning deletes its keys. The
// DS (SHA-256, SHA-384) and DNSKEY records PowerDNS computes are the operation's output, for
// the registrar.
import type { DnssecKeys } from "@steward/contracts/agent";
import { type OpContext, OpFailure } from "../types.ts";
import { apiError, type PdnsAnswer, pdns } from "./pdns-api.ts";

interface CryptoKey {
  id: number;
  active: boolean;
  dnskey?: string;
  ds?: string[];
}

const keysPath = (zone: string) => `/zones/${zone}./cryptokeys`;

function failed(what: string, zone: string, answer: PdnsAnswer) {
  return new OpFailure("COMMAND_FAILED", `PowerDNS did not ${what} ${zone}: ${apiError(answer)}`);
}

async function keysOf(ctx: OpContext, zone: string): Promise<CryptoKey[]> {
  const r = await pdns(ctx, "GET", keysPath(zone));
  if (r.status !== 200) throw failed("list the keys of", zone, r);
  return r.body as CryptoKey[];
}

/** Signs or unsigns the zone as wished; answers its keys while signed, else null. */
export async function powerDnsDnssec(
  ctx: OpContext,
  zone: string,
  enabled: boolean,
): Promise<DnssecKeys | null> {
  let keys = await keysOf(ctx, zone);
  if (enabled && !keys.some((k) => k.active)) {
    const made = await pdns(ctx, "POST", keysPath(zone), {
      keytype: "csk",
      active: true,
      algorithm: "ECDSAP256SHA256",
    });
    if (made.status !== 201) throw failed("sign", zone, made);
    const rectified = await pdns(ctx, "PUT", `/zones/${zone}./rectify`);
    if (rectified.status !== 200) throw failed("rectify", zone, rectified);
    ctx.changed();
    keys = await keysOf(ctx, zone);
  }
  if (!enabled) {
    for (const key of keys) {
      const removed = await pdns(ctx, "DELETE", `${keysPath(zone)}/${key.id}`);
      if (removed.status !== 204) throw failed("unsign", zone, removed);
      ctx.changed();
    }
    return null;
  }
  const active = keys.filter((k) => k.active);
  return {
    // SHA-1 digests (type 1) are left out: RFC 8624 says not to publish them; pdnsutil agrees
    ds: active.flatMap((k) => (k.ds ?? []).filter((ds) => ds.split(" ")[2] !== "1")),
    dnskeys: active.flatMap((k) => (k.dnskey ? [k.dnskey] : [])),
  };
}
