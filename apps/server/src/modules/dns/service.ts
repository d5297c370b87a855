// DNS zones: the desired state in the panel (zone, records, serial), applied to the node by a
// task enqueued in the same transaction as the change, like sites. Every change is checked as
// a whole zone (contracts' checkZone) before anything is written; each one moves the serial
// (YYYYMMDDnn) and is audited. A zone may be held by a DNS provider of its account
// (Cloudflare) instead of a node: provider-zone.ts starts it, cloudflare-apply.ts applies it.
import type { DnsZoneCreate, dnsZoneListQuery } from "@steward/contracts";
import { type DnsRecord, nextSerial } from "@steward/contracts/dns";
import type { Kysely } from "kysely";
import type { z } from "zod";
import { type Decision, enforce } from "../../access/decision.ts";
import { accounts } from "../../access/policies/accounts.ts";
import { dnsZones, type ZoneRef } from "../../access/policies/dns.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../../engine/engine.ts";
import { conflict, invalid, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { ensureDefault } from "../accounts/default.ts";
import type { ProviderHandles } from "../dns-providers/service.ts";
import { usableNode } from "../nodes/usable.ts";
import { providerStart } from "./provider-zone.ts";
import { createRecordsService } from "./records.ts";
import * as repo from "./repo.ts";
import { checkAll, checkProviderTtls } from "./rules.ts";
import { enqueueApply, scheduleChange } from "./schedule.ts";
import { createSecondariesService } from "./secondaries.ts";
import { templateRecords } from "./templates.ts";

export type Trx = Kysely<Database>;
/** A change to a zone's records inside the commit's transaction. */
export type RecordsChange = (trx: Trx) => Promise<void>;

export function createDnsService({
  db,
  engine,
  providers,
}: {
  db: Db;
  engine: Engine;
  providers: ProviderHandles;
}) {
  const k = db.db;

  async function mustFind(
    ctx: Ctx,
    id: string,
    decide: (c: Ctx, z: ZoneRef) => Decision = dnsZones.canRead,
  ) {
    const row = await repo.findZone(k, id);
    // not visible and not existing look the same
    if (!row || !dnsZones.canRead(ctx, row).allowed) throw notFound(`DNS zone ${id}`);
    enforce(ctx, decide(ctx, row));
    return row;
  }

  async function answer(id: string, taskId: string) {
    const row = await repo.findZone(k, id);
    if (!row) throw notFound(`DNS zone ${id}`);
    return { ...repo.toZone(row, await repo.zoneRecordCount(k, id)), taskId };
  }

  /** Writes a change of records, the next serial, the audit entry and the apply task, together. */
  async function commit(
    ctx: Ctx,
    zone: repo.ZoneRow,
    action: string,
    diff: unknown,
    change: RecordsChange,
  ) {
    if (zone.status === "deleting") throw conflict(`DNS zone ${zone.name} is being deleted`);
    const taskId = await k.transaction().execute(async (trx) => {
      await change(trx);
      const { taskId } = await scheduleChange(engine, trx, zone);
      await recordAudit(trx, ctx, {
        action,
        targetType: "dns_zone",
        targetId: zone.id,
        accountId: zone.account_id,
        diff,
      });
      return taskId;
    });
    return answer(zone.id, taskId);
  }

  const records = createRecordsService({ k, mustFind, commit });
  const secondaries = createSecondariesService({ k, engine, mustFind });

  /** The DNS provider a new zone names, the caller admin of its account (else not found). */
  async function providerOf(ctx: Ctx, id: string, account: string | undefined) {
    const handle = await providers(id);
    const seen = handle && accounts.canRead(ctx, handle.accountId).allowed;
    if (!handle || !seen || (account !== undefined && account !== handle.accountId))
      throw invalid("body.provider", `DNS provider ${id} not found in the zone's account`);
    enforce(ctx, dnsZones.canCreateIn(ctx, handle.accountId));
    return handle;
  }

  return {
    ...records,
    secondaries: secondaries.secondaries,
    addSecondary: secondaries.addSecondary,
    removeSecondary: secondaries.removeSecondary,
    mustFind,
    commit,

    async list(ctx: Ctx, f: z.infer<typeof dnsZoneListQuery> & { limit: number; cursor?: string }) {
      const scope = { where: dnsZones.listScope(ctx), walks: dnsZones.listWalks(ctx) };
      return repo.listZones(k, scope, { ...f, walk: repo.zoneOrder(f.sort, f.cursor) });
    },

    async get(ctx: Ctx, id: string) {
      const row = await mustFind(ctx, id);
      return repo.toZone(row, await repo.zoneRecordCount(k, id));
    },

    async create(
      ctx: Ctx,
      input: Omit<DnsZoneCreate, "import" | "fullSync"> & { import?: boolean; fullSync?: boolean },
    ) {
      let inputs = [...(input.template ? templateRecords(input.template) : []), ...input.records];
      const id = newId("dnz");
      const provider = input.provider ?? null;
      // at a provider: its account unless one is given; Cloudflare is asked before anything
      // is written, and only once the caller may create zones there
      let providerAccount: string | undefined;
      if (provider) {
        const handle = await providerOf(ctx, provider, input.account);
        providerAccount = handle.accountId;
        inputs = await providerStart(handle, {
          name: input.name,
          import: input.import === true,
          records: inputs,
        });
      }
      const checked: DnsRecord[] = checkAll(input.name, inputs);
      checkProviderTtls(provider !== null, checked, (i) => `body.records.${i}.ttl`);
      const taskId = await k.transaction().execute(async (trx) => {
        const accountId = input.account ?? providerAccount ?? (await ensureDefault(trx, ctx));
        enforce(ctx, dnsZones.canCreateIn(ctx, accountId));
        if (input.node) await usableNode(trx, input.node);
        if (await repo.findZoneByName(trx, input.name))
          throw conflict(`the zone ${input.name} is already managed here`, "name");
        const now = Date.now();
        const row = {
          id,
          name: input.name,
          account_id: accountId,
          node_id: input.node ?? null,
          provider_id: provider,
          full_sync: input.fullSync ? 1 : 0,
          backend: provider ? ("cloudflare" as const) : null,
          serial: nextSerial(0, new Date(now)),
          applied_serial: null,
          status: "pending" as const,
          last_error: null,
          task_id: null,
          created_at: now,
          updated_at: now,
        };
        await repo.insertZone(trx, row);
        await repo.insertRecords(trx, id, checked);
        await recordAudit(trx, ctx, {
          action: "dns.zone.create",
          targetType: "dns_zone",
          targetId: id,
          accountId,
          diff: {
            after: {
              name: input.name,
              ...(provider ? { provider, fullSync: input.fullSync } : { node: input.node }),
              records: checked.length,
            },
          },
        });
        return enqueueApply(engine, trx, row);
      });
      return answer(id, taskId);
    },

    /** Applies the zone again as it stands (after a failure, or to repair the node). */
    async apply(ctx: Ctx, id: string) {
      const zone = await mustFind(ctx, id, dnsZones.canManage);
      return commit(ctx, zone, "dns.zone.apply", { serial: Number(zone.serial) }, async () => {});
    },

    /** Signs (DNSSEC) or unsigns the zone: PowerDNS only; the next apply does it. */
    async setDnssec(ctx: Ctx, id: string, input: { enabled: boolean }) {
      const zone = await mustFind(ctx, id, dnsZones.canManage);
      if (input.enabled && zone.backend !== "powerdns")
        throw invalid(
          "body.enabled",
          zone.backend
            ? `DNSSEC is available on PowerDNS only; this zone is served by ${zone.backend}`
            : "DNSSEC is available on PowerDNS only; this zone has not been served yet (its backend is not known)",
        );
      const diff = { before: { dnssec: Number(zone.dnssec) === 1 }, after: input };
      return commit(ctx, zone, "dns.zone.dnssec", diff, async (trx) => {
        await repo.updateZone(trx, id, { dnssec: input.enabled ? 1 : 0 });
      });
    },

    async remove(ctx: Ctx, id: string) {
      const zone = await mustFind(ctx, id, dnsZones.canManage);
      await secondaries.refuseWithSecondaries(zone);
      const taskId = await k.transaction().execute(async (trx) => {
        await repo.updateZone(trx, id, { status: "deleting" });
        await recordAudit(trx, ctx, {
          action: "dns.zone.delete",
          targetType: "dns_zone",
          targetId: id,
          accountId: zone.account_id,
          diff: { before: { name: zone.name } },
        });
        return enqueueApply(engine, trx, zone);
      });
      return answer(id, taskId);
    },
  };
}
