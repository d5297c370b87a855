// The task that makes another node a secondary of a zone (dns.zone.secondary: it transfers the
// zone from the zone's node and answers its serial), or stops it being one (dns.zone.remove,
// then the row goes). The zone's own apply lets the secondaries transfer and notifies them
// (`transfersOf`: the DNS addresses of the secondaries not being removed).
import type { agent } from "@steward/contracts";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import { type HandlerDef, PermanentError } from "../../engine/types.ts";
import type { CallOperation } from "../certificates/issue.ts";
import { dnsAddresses } from "../nodes/repo.ts";
import * as repo from "./repo.ts";
import * as sec from "./secondaries-repo.ts";

export const DNS_ZONE_SECONDARY = "dns.zone.secondary";

const payload = z.strictObject({ zoneId: z.string(), nodeId: z.string() });

/** Where the zone's node lets transfer and notifies: its secondaries' DNS addresses. */
export async function transfersOf(db: Kysely<Database>, zoneId: string) {
  const rows = (await sec.secondariesOf(db, zoneId)).filter((r) => r.state !== "removing");
  const nodes = await dnsAddresses(
    db,
    rows.map((r) => r.node_id),
  );
  return rows.flatMap((r) => nodes.get(r.node_id)?.address ?? []);
}

export function dnsSecondaryTask(deps: {
  db: Db;
  call: CallOperation;
}): HandlerDef<typeof payload> {
  const k = deps.db.db;
  return {
    kind: DNS_ZONE_SECONDARY,
    description: "makes a node a DNS secondary of a zone (or stops it being one)",
    payload,
    timeoutMs: 5 * 60_000,
    maxAttempts: 5,
    backoff: { baseMs: 5_000, maxMs: 300_000 },
    concurrency: { key: (p) => `dns-secondary:${p.zoneId}:${p.nodeId}`, limit: 1 },
    async run(ctx) {
      const { zoneId, nodeId } = ctx.task.payload;
      const row = await sec.findSecondary(k, zoneId, nodeId);
      const zone = await repo.findZone(k, zoneId);
      if (!row || !zone) return null;
      const remove = row.state === "removing";
      const opts = {
        signal: ctx.signal,
        onLog: (line: string, level: "info" | "warn" | "error") => ctx.log[level](line),
        requestId: ctx.task.id,
      };
      let result: agent.OpResult;
      try {
        if (remove) {
          ctx.log.info(`removing the secondary of ${zone.name}`);
          result = await deps.call(
            nodeId,
            "dns.zone.remove",
            { id: zone.id, zone: zone.name },
            opts,
          );
        } else {
          const primary = zone.node_id
            ? (await dnsAddresses(k, [zone.node_id])).get(zone.node_id)
            : undefined;
          if (!primary?.address)
            throw new PermanentError(
              `the zone's node ${primary?.name ?? ""} has no DNS address: set it with \`steward node dns-address\``,
            );
          const serial = Number(zone.applied_serial ?? zone.serial);
          ctx.log.info(`${zone.name}: secondary of ${primary.address} (serial ${serial} or later)`);
          const input = { id: zone.id, zone: zone.name, primaries: [primary.address], serial };
          result = await deps.call(nodeId, "dns.zone.secondary", input, opts);
        }
        if (result.status !== "ok")
          throw new PermanentError(result.error?.message ?? `the node answered ${result.status}`);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const last = ctx.task.attempt >= ctx.task.maxAttempts || err instanceof PermanentError;
        await sec.updateSecondary(k, zoneId, nodeId, {
          last_error: message,
          ...(last && !remove ? { state: "failed" as const } : {}),
        });
        throw err;
      }
      if (remove) await sec.deleteSecondary(k, zoneId, nodeId);
      else await sec.updateSecondary(k, zoneId, nodeId, { state: "active", last_error: null });
      return { changed: result.changed };
    },
  };
}
