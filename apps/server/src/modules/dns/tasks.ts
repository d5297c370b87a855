// The task that makes a node serve a zone as it stands in the panel (or stop serving it, when
// the zone is being deleted). One kind, one at a time per zone; every task applies the latest
// records and serial. A refusal (the server's checker) is final and says which records.
// A zone held at a DNS provider (Cloudflare) is applied by the panel itself
// (cloudflare-apply.ts); deleting it stops managing it and leaves Cloudflare's records.
import type { agent } from "@steward/contracts";
import type { DnssecKeys } from "@steward/contracts/agent";
import { soaTimers } from "@steward/contracts/dns";
import { z } from "zod";
import type { Db } from "../../db/open.ts";
import type { Registry } from "../../engine/registry.ts";
import { type HandlerDef, PermanentError } from "../../engine/types.ts";
import type { CallOperation } from "../certificates/issue.ts";
import type { ProviderHandles } from "../dns-providers/service.ts";
import { applyAtCloudflare } from "./cloudflare-apply.ts";
import * as repo from "./repo.ts";
import { dnsSecondaryTask, transfersOf } from "./secondaries-task.ts";

export const DNS_ZONE_APPLY = "dns.zone.apply";

const payload = z.strictObject({ zoneId: z.string() });

export interface DnsTaskDeps {
  db: Db;
  call: CallOperation;
  providers: ProviderHandles;
}

/** The zone served by its DNS provider: the records sent, or nothing when it is deleted. */
async function atProvider(deps: DnsTaskDeps, zone: repo.ZoneRow, log: (l: string) => void) {
  const provider = zone.provider_id ? await deps.providers(zone.provider_id) : null;
  if (!provider || provider.accountId !== zone.account_id)
    throw new PermanentError("the zone's DNS provider no longer exists");
  const records = await repo.recordsOf(deps.db.db, zone.id);
  return applyAtCloudflare(
    provider.client,
    {
      provider: provider.name,
      zone: zone.name,
      records: records.map(({ id: _id, ...r }) => r),
      fullSync: Number(zone.full_sync) === 1,
    },
    log,
  );
}

export function dnsZoneTask(deps: DnsTaskDeps): HandlerDef<typeof payload> {
  const k = deps.db.db;
  return {
    kind: DNS_ZONE_APPLY,
    description: "makes a node serve a DNS zone as it stands (or stop serving it)",
    payload,
    timeoutMs: 5 * 60_000,
    maxAttempts: 5,
    backoff: { baseMs: 5_000, maxMs: 300_000 },
    concurrency: { key: (p) => `dns:${p.zoneId}`, limit: 1 },
    async run(ctx) {
      const zone = await repo.findZone(k, ctx.task.payload.zoneId);
      if (!zone) return null;
      const remove = zone.status === "deleting";
      const serial = Number(zone.serial);
      const records = remove ? [] : await repo.recordsOf(k, zone.id);
      const apply = {
        id: zone.id,
        zone: zone.name,
        serial,
        soa: soaTimers.parse({}),
        records: records.map(({ id: _id, ...r }) => r),
        dnssec: Number(zone.dnssec) === 1,
        transfers: remove || zone.node_id === null ? [] : await transfersOf(k, zone.id),
      };
      ctx.log.info(`${remove ? "removing" : "applying"} zone ${zone.name} (serial ${serial})`);
      let result: agent.OpResult;
      try {
        const opts = {
          signal: ctx.signal,
          onLog: (line: string, level: "info" | "warn" | "error") => ctx.log[level](line),
          requestId: ctx.task.id,
        };
        if (zone.node_id === null) {
          // at a provider: the panel applies it; deleting it leaves the provider's records
          const sent = remove
            ? { changed: false }
            : await atProvider(deps, zone, (line) => ctx.log.info(line));
          result = {
            status: "ok",
            changed: sent.changed,
            steps: [],
            output: { backend: "cloudflare" },
          };
        } else
          result = remove
            ? await deps.call(
                zone.node_id,
                "dns.zone.remove",
                { id: zone.id, zone: zone.name },
                opts,
              )
            : await deps.call(zone.node_id, "dns.zone.apply", apply, opts);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const last = ctx.task.attempt >= ctx.task.maxAttempts || err instanceof PermanentError;
        await repo.updateZone(k, zone.id, {
          last_error: message,
          ...(last ? { status: "failed" } : {}),
        });
        throw err;
      }
      if (result.status !== "ok") {
        const message = result.error?.message ?? `the node answered ${result.status}`;
        await repo.updateZone(k, zone.id, { status: "failed", last_error: message });
        throw new PermanentError(message);
      }
      if (remove) {
        await repo.deleteZone(k, zone.id);
        return { changed: result.changed };
      }
      const output = result.output as
        | { backend?: "bind" | "powerdns" | "cloudflare"; dnssec?: DnssecKeys | null }
        | undefined;
      // a change made meanwhile has its own task queued behind this one: it stays pending
      const latest = await repo.findZone(k, zone.id);
      const current = Number(latest?.serial) === serial;
      await repo.updateZone(k, zone.id, {
        applied_serial: serial,
        backend: output?.backend ?? zone.backend,
        dnssec_keys: output?.dnssec ? JSON.stringify(output.dnssec) : null,
        last_error: null,
        ...(current ? { status: "active" as const } : {}),
      });
      ctx.log.info(
        result.changed ? `served with serial ${serial}` : "already served: nothing changed",
      );
      return { changed: result.changed, output: result.output ?? null };
    },
  };
}

export function registerDnsTasks(registry: Registry, deps: DnsTaskDeps) {
  registry.register(dnsZoneTask(deps));
  registry.register(dnsSecondaryTask(deps));
}
