// A zone's records through the API: read whole, changed one at a time, imported from and
// exported to an RFC 1035 zone file. Each change is checked with the whole zone first.
import type { DnsRecordItem } from "@steward/contracts";
import {
  defaultSoa,
  parseZoneFile,
  type RecordInput,
  type recordInput,
  renderZone,
  soaTimers,
} from "@steward/contracts/dns";
import type { Kysely } from "kysely";
import type { z } from "zod";
import type { Decision } from "../../access/decision.ts";
import { dnsZones, type ZoneRef } from "../../access/policies/dns.ts";
import type { Ctx } from "../../access/types.ts";
import type { Database } from "../../db/schema.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import * as repo from "./repo.ts";
import { checkAll, checkProviderTtls, checkWith } from "./rules.ts";
import type { RecordsChange } from "./service.ts";

type ZoneAnswer = Awaited<ReturnType<typeof repo.toZone>> & { taskId: string };

interface Deps {
  k: Kysely<Database>;
  mustFind(ctx: Ctx, id: string, decide?: (c: Ctx, z: ZoneRef) => Decision): Promise<repo.ZoneRow>;
  commit(
    ctx: Ctx,
    zone: repo.ZoneRow,
    action: string,
    diff: unknown,
    change: RecordsChange,
  ): Promise<ZoneAnswer>;
}

export function createRecordsService({ k, mustFind, commit }: Deps) {
  const manage = (ctx: Ctx, id: string) => mustFind(ctx, id, dnsZones.canManage);
  const indexOf = (records: DnsRecordItem[], recordId: string) => {
    const at = records.findIndex((r) => r.id === recordId);
    if (at === -1) throw notFound(`record ${recordId}`);
    return at;
  };

  return {
    async records(ctx: Ctx, id: string) {
      await mustFind(ctx, id);
      return { items: await repo.recordsOf(k, id) };
    },

    async addRecord(ctx: Ctx, id: string, input: RecordInput) {
      const zone = await manage(ctx, id);
      const current = await repo.recordsOf(k, id);
      const record = checkWith(zone.name, current, input, null).at(-1);
      if (!record) throw notFound("record");
      checkProviderTtls(zone.node_id === null, [record], () => "body.ttl");
      const added: { record: DnsRecordItem | null } = { record: null };
      const answer = await commit(
        ctx,
        zone,
        "dns.record.create",
        { after: record },
        async (trx) => {
          added.record = (await repo.insertRecords(trx, id, [record]))[0] ?? null;
        },
      );
      return { record: added.record, zone: answer };
    },

    async updateRecord(
      ctx: Ctx,
      id: string,
      recordId: string,
      patch: Partial<z.input<typeof recordInput>>,
    ) {
      const zone = await manage(ctx, id);
      const current = await repo.recordsOf(k, id);
      const at = indexOf(current, recordId);
      const before = current[at] as DnsRecordItem;
      const { id: _id, ...fields } = before;
      const given = Object.entries(patch).filter(([, value]) => value !== undefined);
      const record = checkWith(zone.name, current, { ...fields, ...Object.fromEntries(given) }, at)[
        at
      ];
      if (!record) throw notFound(`record ${recordId}`);
      checkProviderTtls(zone.node_id === null, [record], () => "body.ttl");
      const diff = { before, after: record };
      const answer = await commit(ctx, zone, "dns.record.update", diff, (trx) =>
        repo.updateRecord(trx, id, recordId, record),
      );
      return { record: { id: recordId, ...record }, zone: answer };
    },

    async removeRecord(ctx: Ctx, id: string, recordId: string) {
      const zone = await manage(ctx, id);
      const current = await repo.recordsOf(k, id);
      const at = indexOf(current, recordId);
      const rest = current.filter((r) => r.id !== recordId).map(({ id: _id, ...r }) => r);
      checkAll(zone.name, rest, "records");
      const answer = await commit(ctx, zone, "dns.record.delete", { before: current[at] }, (trx) =>
        repo.deleteRecords(trx, id, [recordId]),
      );
      return { record: null, zone: answer };
    },

    async importZone(ctx: Ctx, id: string, input: { zoneFile: string; replace: boolean }) {
      const zone = await manage(ctx, id);
      const parsed = parseZoneFile(input.zoneFile, zone.name);
      if (parsed.issues.length)
        throw new AppError(
          "VALIDATION_FAILED",
          `body.zoneFile: line ${parsed.issues[0]?.line}: ${parsed.issues[0]?.message}`,
          parsed.issues.map((i) => ({
            field: "body.zoneFile",
            message: `line ${i.line}: ${i.message}`,
          })),
        );
      const kept = input.replace ? [] : (await repo.recordsOf(k, id)).map(({ id: _id, ...r }) => r);
      const lineOf = (n: number) => parsed.lines[n - kept.length];
      let checked: ReturnType<typeof checkAll>;
      try {
        checked = checkAll(zone.name, [...kept, ...parsed.records], "records");
      } catch (error) {
        if (!(error instanceof AppError) || !error.details) throw error;
        const details = error.details.map((d) => {
          const n = Number(d.field.split(".")[1]);
          const line = Number.isNaN(n) ? undefined : lineOf(n);
          return {
            field: "body.zoneFile",
            message: `${line ? `line ${line}: ` : ""}${d.field}: ${d.message}`,
          };
        });
        throw new AppError("VALIDATION_FAILED", `body.zoneFile: ${details[0]?.message}`, details);
      }
      const fresh = checked.slice(kept.length);
      checkProviderTtls(zone.node_id === null, fresh, () => "body.zoneFile");
      const diff = { imported: fresh.length, replace: input.replace };
      return commit(ctx, zone, "dns.zone.import", diff, async (trx) => {
        if (input.replace) await repo.deleteRecords(trx, id);
        await repo.insertRecords(trx, id, fresh);
      });
    },

    async exportZone(ctx: Ctx, id: string) {
      const zone = await mustFind(ctx, id);
      const records = (await repo.recordsOf(k, id)).map(({ id: _id, ...r }) => r);
      const soa = defaultSoa(zone.name, records, Number(zone.serial), soaTimers.parse({}));
      return { name: zone.name, zoneFile: renderZone(zone.name, soa, records).text };
    },
  };
}
