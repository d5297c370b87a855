import {
  dnsRecordChange,
  dnsRecordList,
  dnsRecordUpdate,
  dnsSecondaryChange,
  dnsSecondaryCreate,
  dnsSecondaryList,
  dnsZone,
  dnsZoneChange,
  dnsZoneCreate,
  dnsZoneDnssec,
  dnsZoneExport,
  dnsZoneImport,
  dnsZoneListQuery,
  v,
} from "@steward/contracts";
import { recordInput } from "@steward/contracts/dns";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { crudRoutes, declareRoutes, route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";

const BASE = "/api/v1/dns/zones";
const recordParams = z.strictObject({ id: v.id, recordId: v.id });
const secondaryParams = z.strictObject({ id: v.id, nodeId: v.id });

export function dnsRoutes(app: FastifyInstance, svc: Services) {
  declareRoutes(
    app,
    ["dns"],
    [
      ...crudRoutes({
        base: BASE,
        noun: "dns.zone",
        item: dnsZone,
        listQuery: dnsZoneListQuery.shape,
        service: { list: svc.dns.list, get: svc.dns.get },
      }),
      route({
        method: "POST",
        url: BASE,
        action: "dns.zone.create",
        description:
          "Creates a zone on a node (its records, and a template's if asked), checked as a whole, and enqueues the task serving it.",
        body: dnsZoneCreate,
        reply: dnsZoneChange,
        status: 201,
        handle: ({ ctx, body }) => svc.dns.create(ctx, body),
      }),
      route({
        method: "DELETE",
        url: `${BASE}/:id`,
        action: "dns.zone.delete",
        params: idParams,
        reply: dnsZoneChange,
        status: 202,
        handle: ({ ctx, params }) => svc.dns.remove(ctx, params.id),
      }),
      route({
        method: "POST",
        url: `${BASE}/:id/apply`,
        action: "dns.zone.apply",
        description: "Serves the zone again as it stands, with the next serial.",
        params: idParams,
        reply: dnsZoneChange,
        status: 202,
        handle: ({ ctx, params }) => svc.dns.apply(ctx, params.id),
      }),
      route({
        method: "POST",
        url: `${BASE}/:id/dnssec`,
        action: "dns.zone.dnssec",
        description:
          "Signs the zone (DNSSEC, PowerDNS only) or unsigns it; once served, the zone shows the DS and DNSKEY records for the registrar.",
        params: idParams,
        body: dnsZoneDnssec,
        reply: dnsZoneChange,
        status: 202,
        handle: ({ ctx, params, body }) => svc.dns.setDnssec(ctx, params.id, body),
      }),
      route({
        method: "GET",
        url: `${BASE}/:id/secondaries`,
        action: "dns.zone.secondary.list",
        description:
          "The zone's secondaries: other nodes serving it by transfer (AXFR) from its node, with their DNS addresses and state.",
        params: idParams,
        reply: dnsSecondaryList,
        handle: ({ ctx, params }) => svc.dns.secondaries(ctx, params.id),
      }),
      route({
        method: "POST",
        url: `${BASE}/:id/secondaries`,
        action: "dns.zone.secondary.add",
        description:
          "Makes another node a secondary of the zone: the zone is applied again letting it transfer and notifying it, then the node transfers it. Both nodes need a DNS address.",
        params: idParams,
        body: dnsSecondaryCreate,
        reply: dnsSecondaryChange,
        status: 202,
        handle: ({ ctx, params, body }) => svc.dns.addSecondary(ctx, params.id, body),
      }),
      route({
        method: "DELETE",
        url: `${BASE}/:id/secondaries/:nodeId`,
        action: "dns.zone.secondary.remove",
        description:
          "Stops a node being a secondary of the zone: the zone is applied without it and the node stops serving it.",
        params: secondaryParams,
        reply: dnsSecondaryChange,
        status: 202,
        handle: ({ ctx, params }) => svc.dns.removeSecondary(ctx, params.id, params.nodeId),
      }),
      route({
        method: "GET",
        url: `${BASE}/:id/records`,
        action: "dns.record.list",
        description: "The zone's records, all of them, in creation order.",
        params: idParams,
        reply: dnsRecordList,
        handle: ({ ctx, params }) => svc.dns.records(ctx, params.id),
      }),
      route({
        method: "POST",
        url: `${BASE}/:id/records`,
        action: "dns.record.create",
        params: idParams,
        body: recordInput,
        reply: dnsRecordChange,
        status: 201,
        handle: ({ ctx, params, body }) => svc.dns.addRecord(ctx, params.id, body),
      }),
      route({
        method: "PATCH",
        url: `${BASE}/:id/records/:recordId`,
        action: "dns.record.update",
        params: recordParams,
        body: dnsRecordUpdate,
        reply: dnsRecordChange,
        handle: ({ ctx, params, body }) =>
          svc.dns.updateRecord(ctx, params.id, params.recordId, body),
      }),
      route({
        method: "DELETE",
        url: `${BASE}/:id/records/:recordId`,
        action: "dns.record.delete",
        params: recordParams,
        reply: dnsRecordChange,
        handle: ({ ctx, params }) => svc.dns.removeRecord(ctx, params.id, params.recordId),
      }),
      route({
        method: "POST",
        url: `${BASE}/:id/import`,
        action: "dns.zone.import",
        description:
          "Reads an RFC 1035 zone file into the zone (replacing its records unless replace is false); errors name the line.",
        params: idParams,
        body: dnsZoneImport,
        reply: dnsZoneChange,
        handle: ({ ctx, params, body }) => svc.dns.importZone(ctx, params.id, body),
      }),
      route({
        method: "GET",
        url: `${BASE}/:id/export`,
        action: "dns.zone.export",
        description: "The zone as an RFC 1035 zone file, with its SOA.",
        params: idParams,
        reply: dnsZoneExport,
        handle: ({ ctx, params }) => svc.dns.exportZone(ctx, params.id),
      }),
    ],
  );
}
