// Cloudflare tunnels (issue 16), super users' (access/policies/tunnels.ts). A tunnel is kept
// for a node once Cloudflare confirms the token reads it and reaches its zone (the token sealed).
// Forwarding a hostname of the zone to a port of the node: the node's agent adds the ingress
// rule (tunnel.ingress: catch-all last, no duplicate, validated, backed up, restarted), then a
// proxied CNAME `<hostname>` → `<tunnel id>.cfargotunnel.com` is created at Cloudflare; when
// Cloudflare refuses, the rule is taken out again, so nothing stays half done. A hostname with
// a record at Cloudflare already is refused (never overwritten). Removing undoes both. The
// config preview and the tunnel's status are read live (the agent, Cloudflare's API).
import type { agent, TunnelCreate, TunnelRouteCreate } from "@steward/contracts";
import { type TunnelIngressOutput, tunnelIngressOutput } from "@steward/contracts/agent";
import { enforce } from "../../access/decision.ts";
import { tunnels } from "../../access/policies/tunnels.ts";
import type { Ctx } from "../../access/types.ts";
import type { AgentClient } from "../../agents/client.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Settings } from "../../config/schema.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import { CloudflareError } from "../../integrations/cloudflare/client.ts";
import { conflict, invalid, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { clientFor } from "../dns-providers/cloudflare.ts";
import { checkNode } from "../nodes/usable.ts";
import * as repo from "./repo.ts";

/** At most this many tunnels are listed (one per node), and routes per tunnel. */
export const MAX_TUNNELS = 500;
export const MAX_ROUTES = 500;

interface Deps {
  db: Db;
  secrets: Secrets;
  settings: Settings;
  agents: () => Promise<Pick<AgentClient, "runOperation">>;
}

/** Cloudflare's refusal as a 400 naming `field`, in its words. */
const atCloudflare = <T>(field: string, work: Promise<T>): Promise<T> =>
  work.catch((err) => {
    const words =
      err instanceof CloudflareError
        ? `Cloudflare refused: ${err.message}`
        : `Cloudflare could not be asked: ${(err as Error).message}`;
    throw invalid(field, words);
  });

export const cnameTarget = (tunnelId: string) => `${tunnelId}.cfargotunnel.com`;

export function createTunnelsService({ db, secrets, settings, agents }: Deps) {
  const k = db.db;
  const client = (row: repo.TunnelRow) => clientFor(secrets.open(row.token_enc), settings);

  async function mustFind(ctx: Ctx, id: string) {
    enforce(ctx, tunnels.canRead(ctx));
    const row = await repo.findTunnel(k, id);
    if (!row) throw notFound(`tunnel ${id}`);
    return row;
  }

  /** The node's answer to tunnel.ingress, or a 409 in its words. */
  async function ingress(row: repo.TunnelRow, input: agent.TunnelIngressInput, ctx: Ctx) {
    let answer: agent.OpResult;
    try {
      answer = await (await agents()).runOperation(row.node_id, "tunnel.ingress", input, {
        requestId: ctx.requestId ?? undefined,
        signal: AbortSignal.timeout(120_000),
      });
    } catch (err) {
      throw conflict(`the node's agent could not be asked: ${(err as Error).message}`);
    }
    if (answer.status !== "ok") {
      const message = answer.error?.message ?? `the operation ${answer.status}`;
      throw answer.error?.code === "NAME_TAKEN"
        ? conflict(message, "hostname")
        : conflict(`the node refused: ${message}`);
    }
    return tunnelIngressOutput.parse(answer.output) as TunnelIngressOutput;
  }

  async function zoneId(row: repo.TunnelRow) {
    const zones = await atCloudflare("zone", client(row).zones(row.zone));
    const zone = zones.find((z) => z.name === row.zone);
    if (!zone) throw invalid("zone", `the token does not reach the zone ${row.zone}`);
    return zone.id;
  }

  return {
    async list(ctx: Ctx) {
      enforce(ctx, tunnels.canRead(ctx));
      return (await repo.listTunnels(k, MAX_TUNNELS)).map(repo.toTunnel);
    },

    get: async (ctx: Ctx, id: string) => repo.toTunnel(await mustFind(ctx, id)),

    async create(ctx: Ctx, input: TunnelCreate) {
      enforce(ctx, tunnels.canManage(ctx));
      const { problem } = await checkNode(k, input.node);
      if (problem) throw invalid("node", problem.message);
      if (await repo.tunnelOfNode(k, input.node))
        throw conflict("the node has a tunnel already: remove it first", "node");
      const cf = clientFor(input.token, settings);
      await atCloudflare("tunnelId", cf.tunnel(input.cloudflareAccount, input.tunnelId));
      const zones = await atCloudflare("token", cf.zones(input.zone));
      if (!zones.some((z) => z.name === input.zone))
        throw invalid("zone", `the token does not reach the zone ${input.zone}`);
      const now = Date.now();
      const row: repo.TunnelRow = {
        id: newId("tun"),
        node_id: input.node,
        cf_account_id: input.cloudflareAccount,
        tunnel_id: input.tunnelId,
        zone: input.zone,
        token_enc: secrets.seal(input.token),
        created_at: now,
        updated_at: now,
      };
      await k.transaction().execute(async (trx) => {
        await repo.insertTunnel(trx, row);
        await recordAudit(trx, ctx, {
          action: "tunnel.create",
          targetType: "tunnel",
          targetId: row.id,
          diff: { after: { node: row.node_id, tunnel: row.tunnel_id, zone: row.zone } },
        });
      });
      return repo.toTunnel(row);
    },

    async remove(ctx: Ctx, id: string) {
      await mustFind(ctx, id);
      enforce(ctx, tunnels.canManage(ctx));
      if ((await repo.routesOf(k, id, 1)).length)
        throw conflict("the tunnel still forwards hostnames: remove its routes first");
      await k.transaction().execute(async (trx) => {
        await repo.deleteTunnel(trx, id);
        await recordAudit(trx, ctx, {
          action: "tunnel.remove",
          targetType: "tunnel",
          targetId: id,
        });
      });
    },

    /** The tunnel as Cloudflare sees it: its status and connections to the edge. */
    async status(ctx: Ctx, id: string) {
      const row = await mustFind(ctx, id);
      const t = await atCloudflare(
        "tunnelId",
        client(row).tunnel(row.cf_account_id, row.tunnel_id),
      );
      return {
        name: t.name,
        status: t.status,
        connections: t.connections.map((c) => ({
          colo: c.colo_name,
          openedAt: c.opened_at,
          originIp: c.origin_ip,
        })),
      };
    },

    /** The node's config.yml as it stands, read-only. */
    async config(ctx: Ctx, id: string) {
      const row = await mustFind(ctx, id);
      const out = await ingress(row, { action: "read" }, ctx);
      return { path: "config.yml", config: out.config, tunnel: out.tunnel, ingress: out.ingress };
    },

    async routes(ctx: Ctx, id: string) {
      await mustFind(ctx, id);
      return (await repo.routesOf(k, id, MAX_ROUTES)).map(repo.toRoute);
    },

    /** Forwards `hostname` to `port` on the tunnel's node: ingress rule, then the CNAME. */
    async addRoute(ctx: Ctx, id: string, input: TunnelRouteCreate) {
      const row = await mustFind(ctx, id);
      enforce(ctx, tunnels.canManage(ctx));
      const { hostname, port } = input;
      if (hostname !== row.zone && !hostname.endsWith(`.${row.zone}`))
        throw invalid("hostname", `must be a name of the tunnel's zone ${row.zone}`);
      if (await repo.routeOfHostname(k, hostname))
        throw conflict(`${hostname} is forwarded already`, "hostname");
      const cf = client(row);
      const zone = await zoneId(row);
      const held = await atCloudflare("hostname", cf.records(zone, { name: hostname }));
      if (held.length)
        throw conflict(
          `Cloudflare has a ${held[0]?.type} record for ${hostname} already: remove it there first`,
          "hostname",
        );
      const out = await ingress(row, { action: "add", hostname, port }, ctx);
      const record = await cf
        .createRecord(zone, {
          type: "CNAME",
          name: hostname,
          content: cnameTarget(row.tunnel_id),
          ttl: 1,
          proxied: true,
          comment: "Steward tunnel route",
        })
        .catch(async (err) => {
          // the rule goes again: no hostname routed by the tunnel without its DNS name
          await ingress(row, { action: "remove", hostname }, ctx);
          throw invalid("hostname", `Cloudflare refused the CNAME: ${(err as Error).message}`);
        });
      const route: repo.RouteRow = {
        id: newId("tunr"),
        tunnel_id: row.id,
        hostname,
        port,
        dns_record_id: record.id,
        created_at: Date.now(),
      };
      await k.transaction().execute(async (trx) => {
        await repo.insertRoute(trx, route);
        await recordAudit(trx, ctx, {
          action: "tunnel.route.create",
          targetType: "tunnel",
          targetId: row.id,
          diff: { after: { hostname, port, cname: cnameTarget(row.tunnel_id) } },
        });
      });
      return {
        ...repo.toRoute(route),
        validatedBy: out.validatedBy,
        backup: out.backup,
        restarted: out.restarted,
        note: out.note,
      };
    },

    async removeRoute(ctx: Ctx, id: string, routeId: string) {
      const row = await mustFind(ctx, id);
      enforce(ctx, tunnels.canManage(ctx));
      const route = await repo.findRoute(k, id, routeId);
      if (!route) throw notFound(`route ${routeId}`);
      await ingress(row, { action: "remove", hostname: route.hostname }, ctx);
      if (route.dns_record_id) {
        const zone = await zoneId(row);
        await client(row)
          .deleteRecord(zone, route.dns_record_id)
          .catch((err) => {
            // already gone at Cloudflare is what was wanted
            if (!(err instanceof CloudflareError && err.status === 404))
              throw invalid("hostname", `Cloudflare refused to delete the CNAME: ${err.message}`);
          });
      }
      await k.transaction().execute(async (trx) => {
        await repo.deleteRoute(trx, routeId);
        await recordAudit(trx, ctx, {
          action: "tunnel.route.remove",
          targetType: "tunnel",
          targetId: row.id,
          diff: { before: { hostname: route.hostname, port: route.port } },
        });
      });
    },
  };
}

export type TunnelsService = ReturnType<typeof createTunnelsService>;
