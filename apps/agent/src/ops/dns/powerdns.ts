// The PowerDNS adapter: the zone through the node's HTTP API. A new zone is created (kind
// Native, soa_edit_api off: the serial is the panel's) with all its RRsets; an existing one
// gets one PATCH replacing every RRset that differs and deleting the ones no longer wanted
// (PowerDNS applies a PATCH as one transaction). Its refusals ("RRset www.example.com. IN
// CNAME: Conflicts with ...") are mapped back to records; `pdnsutil check-zone` runs after
// the change when configured; a failure puts the previous RRsets back (or deletes the zone).
import type { DnsZoneApplyInput } from "@steward/contracts/agent";
import { defaultSoa, fqdnOf, rdata, soaRdata } from "@steward/contracts/dns";
import { type OpContext, OpFailure } from "../types.ts";
import { powerDnsDnssec } from "./dnssec.ts";
import { explain, locate } from "./messages.ts";
import { apiError, type PdnsAnswer, type PdnsZone, pdns, type RRset } from "./pdns-api.ts";
import { waitServed } from "./served.ts";

const zonePath = (zone: string) => `/zones/${zone}.`;
const key = (r: RRset) => `${r.name} ${r.type}`;

/** The wanted RRsets: the SOA, then the records grouped by name and type. */
function wanted(input: DnsZoneApplyInput): RRset[] {
  const soa = defaultSoa(input.zone, input.records, input.serial, input.soa);
  const sets = new Map<string, RRset>();
  sets.set(`${input.zone}. SOA`, {
    name: `${input.zone}.`,
    type: "SOA",
    ttl: input.soa.minimum,
    records: [{ content: soaRdata(soa), disabled: false }],
  });
  for (const r of input.records) {
    const set: RRset = { name: fqdnOf(r.name, input.zone), type: r.type, ttl: r.ttl, records: [] };
    const entry = sets.get(key(set)) ?? set;
    entry.records?.push({ content: rdata(r), disabled: false });
    sets.set(key(set), entry);
  }
  return [...sets.values()];
}

const same = (a: RRset, b: RRset | undefined) =>
  !!b &&
  a.ttl === b.ttl &&
  JSON.stringify((a.records ?? []).map((r) => r.content).sort()) ===
    JSON.stringify((b.records ?? []).map((r) => r.content).sort());

/** A PATCH turning `from` into `to`, or null when they are the same. */
function patchOf(from: RRset[], to: RRset[]): RRset[] | null {
  const current = new Map(from.map((r) => [key(r), r]));
  const target = new Set(to.map(key));
  const rrsets: RRset[] = [
    ...to
      .filter((r) => !same(r, current.get(key(r))))
      .map((r) => ({ ...r, changetype: "REPLACE" as const })),
    ...from
      .filter((r) => !target.has(key(r)))
      .map((r) => ({ name: r.name, type: r.type, changetype: "DELETE" as const })),
  ];
  return rrsets.length ? rrsets : null;
}

function refused(answer: PdnsAnswer, input: DnsZoneApplyInput): OpFailure {
  const message = apiError(answer);
  if (answer.status !== 422 && answer.status !== 400)
    return new OpFailure("COMMAND_FAILED", `PowerDNS's API refused ${input.zone}: ${message}`);
  const located = [locate(message, input.zone, input.records)];
  return new OpFailure(
    "ZONE_INVALID",
    `PowerDNS refused ${input.zone}: ${explain(located, input.records)}`,
  );
}

async function checkZone(ctx: OpContext, input: DnsZoneApplyInput) {
  const { pdnsutil, configDir } = ctx.config.dns.powerdns;
  if (!configDir) return;
  const argv = [pdnsutil, `--config-dir=${configDir}`, "check-zone", input.zone];
  const r = await ctx.exec("pdnsutil check-zone", argv, { allowFailure: true });
  if (r.exitCode === 0) return;
  const lines = `${r.stdout}\n${r.stderr}`
    .split("\n")
    .filter((l) => /^\[(Error|Warning)\]/.test(l));
  const located = lines.map((l) => locate(l, input.zone, input.records));
  throw new OpFailure(
    "ZONE_INVALID",
    `pdnsutil check-zone refused ${input.zone}: ${explain(located, input.records)}`,
  );
}

/** Applies the zone; answers its DNSSEC keys while it is signed, else null. */
export async function powerDnsApply(ctx: OpContext, input: DnsZoneApplyInput) {
  const path = zonePath(input.zone);
  const desired = wanted(input);
  const keys = await ctx.phase("activate", async () => {
    const current = await pdns(ctx, "GET", path);
    if (current.status === 404 || current.status === 422) {
      const created = await pdns(ctx, "POST", "/zones", {
        name: `${input.zone}.`,
        kind: "Native",
        nameservers: [],
        soa_edit_api: "",
        rrsets: desired,
      });
      if (created.status !== 201) throw refused(created, input);
      ctx.onRollback("delete the zone from PowerDNS", async () => {
        await pdns(ctx, "DELETE", path);
      });
      ctx.changed();
    } else if (current.status === 200) {
      const before = (current.body as PdnsZone).rrsets;
      const patch = patchOf(before, desired);
      if (patch) {
        const patched = await pdns(ctx, "PATCH", path, { rrsets: patch });
        if (patched.status !== 204) throw refused(patched, input);
        ctx.onRollback("put the zone's previous RRsets back", async () => {
          const undo = patchOf(desired, before);
          if (undo) await pdns(ctx, "PATCH", path, { rrsets: undo });
        });
        ctx.changed();
      }
    } else throw refused(current, input);
    await checkZone(ctx, input);
    // last: unsigning deletes keys, which no rollback can bring back
    return powerDnsDnssec(ctx, input.zone, input.dnssec);
  });
  await ctx.phase("verify", () => waitServed(ctx.config, input.zone, input.serial, ctx.signal));
  return keys;
}

export async function powerDnsRemove(ctx: OpContext, zone: string) {
  await ctx.phase("activate", async () => {
    const r = await pdns(ctx, "DELETE", zonePath(zone));
    if (r.status === 204) ctx.changed();
    else if (r.status !== 404 && r.status !== 422)
      throw new OpFailure(
        "COMMAND_FAILED",
        `PowerDNS's API did not delete ${zone}: ${apiError(r)}`,
      );
  });
  await ctx.phase("verify", () => waitServed(ctx.config, zone, null, ctx.signal));
}
