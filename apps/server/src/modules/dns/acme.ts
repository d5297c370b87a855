// The dns-01 hook for certificates (docs/dns.md): presentTxt adds the TXT record
// _acme-challenge.<name> to the managed zone of the account that covers the name, applies the
// zone and returns once the node's DNS server answers the new serial (the agent checks that
// before its task succeeds) and, given a resolver, once that resolver answers the value;
// removeTxt takes the record away again. The certificates module calls them from its ACME
// order (the lead wires them into the dns-01 provider).
import { Resolver } from "node:dns/promises";
import type { DnsRecord } from "@steward/contracts/dns";
import type { Db } from "../../db/open.ts";
import type { Engine } from "../../engine/engine.ts";
import { AppError } from "../../lib/errors.ts";
import type { Dns01Provider, Dns01Providers } from "../certificates/dns01.ts";
import { coveringZone } from "./cover.ts";
import * as repo from "./repo.ts";
import { checkAll } from "./rules.ts";
import { scheduleChange } from "./schedule.ts";

export interface TxtDeps {
  db: Db;
  engine: Engine;
}

export interface TxtChallenge {
  accountId: string;
  /** the name being validated (a wildcard's base: "*.example.com" counts as example.com) */
  fqdn: string;
  value: string;
  /** "ip:port" of a server to ask for the TXT after the apply (the zone's own server) */
  resolver?: string;
  timeoutMs?: number;
}

const PAUSE_MS = 200;
const pause = () => new Promise((r) => setTimeout(r, PAUSE_MS));

/** The account's zone covering a name, and the challenge record's name in it. */
async function challengeZone(db: Db, accountId: string, fqdn: string) {
  const covered = await coveringZone(db.db, accountId, fqdn);
  if (!covered)
    throw new AppError(
      "NOT_FOUND",
      `no DNS zone of this account covers ${fqdn}: add its zone to Steward first`,
    );
  return { zone: covered.zone, name: ["_acme-challenge", ...covered.inside].join(".") };
}

async function change(deps: TxtDeps, c: TxtChallenge, add: boolean) {
  const { zone, name } = await challengeZone(deps.db, c.accountId, c.fqdn);
  const current = await repo.recordsOf(deps.db.db, zone.id);
  const mine = current.filter((r) => r.type === "TXT" && r.name === name && r.value === c.value);
  if (add ? mine.length > 0 : mine.length === 0) return { zone, name, serial: null };
  const record: DnsRecord = { name, type: "TXT", ttl: 60, value: c.value };
  const rest = add ? [] : mine.map((r) => r.id);
  const others = current.filter((r) => !rest.includes(r.id)).map(({ id: _id, ...r }) => r);
  // the zone with the challenge must pass the zone's rules like any change (one TTL per set)
  const sameSet = others.filter((r) => r.type === "TXT" && r.name === name);
  const ttl = sameSet[0]?.ttl ?? record.ttl;
  checkAll(zone.name, add ? [...others, { ...record, ttl }] : others, "records");
  const { serial } = await deps.db.db.transaction().execute(async (trx) => {
    if (add) await repo.insertRecords(trx, zone.id, [{ ...record, ttl }]);
    else await repo.deleteRecords(trx, zone.id, rest);
    return scheduleChange(deps.engine, trx, zone);
  });
  return { zone, name, serial };
}

/** Waits until the zone's applied serial reaches `serial` (its task verified the server). */
async function applied(deps: TxtDeps, zoneId: string, serial: number, until: number) {
  for (;;) {
    const row = await repo.findZone(deps.db.db, zoneId);
    if (!row) throw new AppError("NOT_FOUND", `DNS zone ${zoneId} not found`);
    if (Number(row.applied_serial ?? 0) >= serial) return;
    if (row.status === "failed")
      throw new AppError(
        "CONFLICT",
        `DNS zone ${row.name} failed to apply: ${row.last_error ?? "unknown error"}`,
      );
    if (Date.now() > until)
      throw new AppError("CONFLICT", `DNS zone ${row.name} was not applied in time`);
    await pause();
  }
}

async function answered(resolverAddress: string, fqdn: string, value: string, until: number) {
  const resolver = new Resolver({ timeout: 500, tries: 1 });
  resolver.setServers([resolverAddress]);
  for (;;) {
    const txt = await resolver.resolveTxt(fqdn).catch(() => [] as string[][]);
    if (txt.some((chunks) => chunks.join("") === value)) return;
    if (Date.now() > until)
      throw new AppError("CONFLICT", `${resolverAddress} does not answer the TXT of ${fqdn}`);
    await pause();
  }
}

/** Adds the challenge's TXT record and waits until it is served. */
export async function presentTxt(deps: TxtDeps, c: TxtChallenge) {
  const until = Date.now() + (c.timeoutMs ?? 60_000);
  const { zone, name, serial } = await change(deps, c, true);
  if (serial !== null) await applied(deps, zone.id, serial, until);
  const fqdn = `${name}.${zone.name}`;
  if (c.resolver) await answered(c.resolver, fqdn, c.value, until);
  return { zoneId: zone.id, fqdn };
}

/** Removes the challenge's TXT record (when present) and waits until the zone is applied. */
export async function removeTxt(deps: TxtDeps, c: TxtChallenge) {
  const until = Date.now() + (c.timeoutMs ?? 60_000);
  const { zone, serial } = await change(deps, c, false);
  if (serial !== null) await applied(deps, zone.id, serial, until);
  return { zoneId: zone.id };
}

/** The record's name for the name validated: `_acme-challenge.a.example.com` → a.example.com. */
const validated = (fqdn: string) => fqdn.replace(/^_acme-challenge\./, "");

/** dns-01 through the zones Steward manages for an account (one provider when it has any). */
export function stewardZonesDns01(deps: TxtDeps): Dns01Providers {
  return async (accountId) => {
    const provider: Dns01Provider = {
      label: "Steward DNS zones",
      covers: async (fqdn) => (await coveringZone(deps.db.db, accountId, validated(fqdn))) !== null,
      present: async (fqdn, value) => {
        await presentTxt(deps, { accountId, fqdn: validated(fqdn), value });
      },
      cleanup: async (fqdn, value) => {
        await removeTxt(deps, { accountId, fqdn: validated(fqdn), value });
      },
    };
    return [provider];
  };
}
