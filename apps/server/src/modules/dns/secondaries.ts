// DNS secondaries: other nodes serving a zone by transfer (AXFR) from the zone's node, which
// notifies them of each change (NOTIFY). Adding one moves the zone's serial (its apply now lets
// the secondary transfer) and enqueues the secondary's task after that apply; removing one
// applies the zone without it and removes the zone from that node. Each node needs its DNS
// address (`steward node dns-address`): where the other nodes reach its server.
import type { Kysely } from "kysely";
import { dnsZones } from "../../access/policies/dns.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../../engine/engine.ts";
import { conflict, invalid, notFound } from "../../lib/errors.ts";
import { dnsAddresses } from "../nodes/repo.ts";
import { checkNode } from "../nodes/usable.ts";
import type { ZoneRow } from "./repo.ts";
import { scheduleChange } from "./schedule.ts";
import * as sec from "./secondaries-repo.ts";
import { DNS_ZONE_SECONDARY } from "./secondaries-task.ts";

type Trx = Kysely<Database>;
type MustFind = (ctx: Ctx, id: string, decide?: typeof dnsZones.canManage) => Promise<ZoneRow>;

/** the agent's limit of a zone's transfers */
const MAX_SECONDARIES = 16;
const HINT = "set it with `steward node dns-address <node> <IPv4:port>`";

export function createSecondariesService({
  k,
  engine,
  mustFind,
}: {
  k: Trx;
  engine: Engine;
  mustFind: MustFind;
}) {
  async function view(trx: Trx, zoneId: string, nodeId: string, taskId?: string) {
    const row = await sec.findSecondary(trx, zoneId, nodeId);
    if (!row) throw notFound(`secondary ${nodeId} of DNS zone ${zoneId}`);
    const nodes = await dnsAddresses(trx, [nodeId]);
    return { ...sec.toSecondary(row, nodes.get(nodeId)), taskId: taskId ?? row.task_id ?? "" };
  }

  /** The node a secondary goes on, or the refusal at `body.node` in words. */
  async function secondaryNode(zone: ZoneRow, nodeId: string) {
    if (zone.node_id === null)
      throw invalid(
        "body.node",
        "this zone is held at a DNS provider (Cloudflare), which serves it: it has no secondaries",
      );
    if (zone.backend === "powerdns")
      throw invalid(
        "body.node",
        "this zone is served by PowerDNS, which Steward cannot make a primary yet: serve it with BIND to give it secondaries",
      );
    const checked = await checkNode(k, nodeId);
    if (checked.problem) throw invalid("body.node", checked.problem.message);
    const nodes = await dnsAddresses(k, [nodeId, zone.node_id]);
    const node = nodes.get(nodeId);
    const primary = nodes.get(zone.node_id);
    if (nodeId === zone.node_id)
      throw invalid(
        "body.node",
        `node ${node?.name} serves the zone already: a secondary is another node`,
      );
    if (!node?.address)
      throw invalid("body.node", `node ${node?.name} has no DNS address: ${HINT}`);
    if (!primary?.address)
      throw invalid(
        "body.node",
        `the zone's node ${primary?.name} has no DNS address (the secondary transfers from it): ${HINT}`,
      );
  }

  return {
    /** The zone's secondaries, with their nodes' names and DNS addresses. */
    async secondaries(ctx: Ctx, zoneId: string) {
      await mustFind(ctx, zoneId);
      const rows = await sec.secondariesOf(k, zoneId);
      const nodes = await dnsAddresses(
        k,
        rows.map((r) => r.node_id),
      );
      return { items: rows.map((r) => sec.toSecondary(r, nodes.get(r.node_id))) };
    },

    async addSecondary(ctx: Ctx, zoneId: string, input: { node: string }) {
      const zone = await mustFind(ctx, zoneId, dnsZones.canManage);
      if (zone.status === "deleting") throw conflict(`DNS zone ${zone.name} is being deleted`);
      await secondaryNode(zone, input.node);
      const taskId = await k.transaction().execute(async (trx) => {
        const existing = await sec.secondariesOf(trx, zone.id);
        if (existing.some((r) => r.node_id === input.node))
          throw conflict(`that node is already a secondary of ${zone.name}`, "node");
        if (existing.length >= MAX_SECONDARIES)
          throw invalid("body.node", `a zone has at most ${MAX_SECONDARIES} secondaries`);
        await sec.insertSecondary(trx, zone.id, input.node);
        // the zone's apply lets the new secondary transfer; the secondary's task waits for it
        const primary = await scheduleChange(engine, trx, zone);
        const { task } = await engine.enqueue(
          {
            kind: DNS_ZONE_SECONDARY,
            payload: { zoneId: zone.id, nodeId: input.node },
            target: { type: "dns_zone", id: zone.id },
            accountId: zone.account_id,
            dependsOn: [primary.taskId],
          },
          trx,
        );
        await sec.updateSecondary(trx, zone.id, input.node, { task_id: task.id });
        await recordAudit(trx, ctx, {
          action: "dns.zone.secondary.add",
          targetType: "dns_zone",
          targetId: zone.id,
          accountId: zone.account_id,
          diff: { after: { node: input.node } },
        });
        return task.id;
      });
      return view(k, zone.id, input.node, taskId);
    },

    async removeSecondary(ctx: Ctx, zoneId: string, nodeId: string) {
      const zone = await mustFind(ctx, zoneId, dnsZones.canManage);
      const taskId = await k.transaction().execute(async (trx) => {
        const row = await sec.findSecondary(trx, zone.id, nodeId);
        if (!row) throw notFound(`secondary ${nodeId} of DNS zone ${zone.name}`);
        if (row.state === "removing")
          throw conflict(`that secondary of ${zone.name} is being removed`, "nodeId");
        await sec.updateSecondary(trx, zone.id, nodeId, { state: "removing" });
        // the zone's apply stops letting it transfer; the node stops serving the zone
        if (zone.status !== "deleting") await scheduleChange(engine, trx, zone);
        const { task } = await engine.enqueue(
          {
            kind: DNS_ZONE_SECONDARY,
            payload: { zoneId: zone.id, nodeId },
            target: { type: "dns_zone", id: zone.id },
            accountId: zone.account_id,
          },
          trx,
        );
        await sec.updateSecondary(trx, zone.id, nodeId, { task_id: task.id });
        await recordAudit(trx, ctx, {
          action: "dns.zone.secondary.remove",
          targetType: "dns_zone",
          targetId: zone.id,
          accountId: zone.account_id,
          diff: { before: { node: nodeId, state: row.state } },
        });
        return task.id;
      });
      return view(k, zone.id, nodeId, taskId);
    },

    /** Refuses a zone's deletion while it has secondaries (they would keep serving it). */
    async refuseWithSecondaries(zone: ZoneRow) {
      const rows = await sec.secondariesOf(k, zone.id);
      if (!rows.length) return;
      const nodes = await dnsAddresses(
        k,
        rows.map((r) => r.node_id),
      );
      const names = rows.map((r) => nodes.get(r.node_id)?.name ?? r.node_id).join(", ");
      throw conflict(
        `DNS zone ${zone.name} has secondaries (${names}): remove them first`,
        "secondaries",
      );
    },
  };
}
