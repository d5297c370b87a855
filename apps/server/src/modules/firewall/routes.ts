import {
  firewallPut,
  firewallUnblock,
  firewallUnblocked,
  firewallView,
} from "@steward/contracts/firewall";
import type { FastifyInstance } from "fastify";
import { declareRoutes, route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function firewallRoutes(app: FastifyInstance, svc: Services) {
  declareRoutes(
    app,
    ["nodes"],
    [
      route({
        method: "GET",
        url: "/api/v1/nodes/:id/firewall",
        action: "firewall.get",
        description:
          "The node's firewall: saved rules, blocked addresses, SSH rate limit and where their apply stands. Super users only.",
        params: idParams,
        reply: firewallView,
        handle: ({ ctx, params }) => svc.firewall.get(ctx, params.id),
      }),
      route({
        method: "PUT",
        url: "/api/v1/nodes/:id/firewall",
        action: "firewall.update",
        description:
          "Saves the node's firewall rules and applies them by a task; refused when they would close SSH or the agent's port to the panel. The node reverts by itself unless the apply is confirmed within confirmSeconds.",
        params: idParams,
        body: firewallPut,
        reply: firewallView,
        status: 202,
        handle: ({ ctx, params, body }) => svc.firewall.put(ctx, params.id, body),
      }),
      route({
        method: "POST",
        url: "/api/v1/nodes/:id/firewall/confirm",
        action: "firewall.confirm",
        description:
          "Confirms the apply that waits for a person's confirmation (autoConfirm false); the task passes it on to the node.",
        params: idParams,
        reply: firewallView,
        handle: ({ ctx, params }) => svc.firewall.confirm(ctx, params.id),
      }),
      route({
        method: "POST",
        url: "/api/v1/nodes/:id/firewall/unblock",
        action: "firewall.unblock",
        description:
          "Takes an address out of the node's blocked list and, by a task, out of its blocked set.",
        params: idParams,
        body: firewallUnblock,
        reply: firewallUnblocked,
        status: 202,
        handle: ({ ctx, params, body }) => svc.firewall.unblock(ctx, params.id, body),
      }),
    ],
  );
}
