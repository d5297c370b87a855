import {
  agent,
  agentUpgradeRequest,
  enqueued,
  enrollmentToken,
  node,
  nodeCreate,
  nodeListQuery,
  nodeMetrics,
  nodeSummary,
  nodeUpdate,
} from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { crudRoutes, declareRoutes, route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";
import { authRateLimit } from "../setup/routes.ts";

export function nodesRoutes(app: FastifyInstance, svc: Services) {
  declareRoutes(
    app,
    ["nodes"],
    [
      ...crudRoutes({
        base: "/api/v1/nodes",
        noun: "node",
        item: node,
        listItem: nodeSummary,
        listQuery: nodeListQuery.shape,
        create: nodeCreate,
        createDescription: "Adds a node (pending until its agent enrolls with a token).",
        update: nodeUpdate,
        updateDescription:
          "Changes what the node's outbound targets (proxy upstreams) may reach: private ranges, more CIDR ranges. Super users only; applies from each site's next apply.",
        service: svc.nodes,
      }),
      route({
        method: "POST",
        url: "/api/v1/nodes/:id/enrollment-token",
        action: "node.token",
        description:
          "A single-use enrollment token, valid 15 minutes; it replaces the node's unused ones.",
        params: idParams,
        reply: enrollmentToken,
        status: 201,
        handle: ({ ctx, params }) => svc.nodes.enrollmentToken(ctx, params.id),
      }),
      route({
        method: "GET",
        url: "/api/v1/nodes/:id/metrics",
        action: "node.read",
        description:
          "The node's health over the last 24 hours (load, CPU, memory, root disk), one point per minute at most, oldest first.",
        params: idParams,
        reply: nodeMetrics,
        handle: ({ ctx, params }) => svc.nodes.metrics(ctx, params.id),
      }),
      route({
        method: "POST",
        url: "/api/v1/nodes/:id/facts/refresh",
        action: "node.facts",
        description:
          "Asks the node's agent for its facts now: enqueues a node.facts task (the one already waiting, if any) and answers with it.",
        params: idParams,
        reply: enqueued,
        status: 202,
        handle: ({ ctx, params }) => svc.nodes.refreshFacts(ctx, params.id),
      }),
      route({
        method: "POST",
        url: "/api/v1/nodes/:id/agent-upgrade",
        action: "node.agent_upgrade",
        description:
          "Replaces the node's single-file agent with a version this panel serves (its own by default): a node.agent-upgrade task; the agent rolls back by itself when the new version does not answer. Super users only.",
        params: idParams,
        body: agentUpgradeRequest,
        reply: enqueued,
        status: 202,
        handle: ({ ctx, params, body }) => svc.nodes.upgradeAgent(ctx, params.id, body),
      }),
      route({
        method: "POST",
        url: "/api/v1/nodes/:id/revoke",
        action: "node.revoke",
        params: idParams,
        reply: node,
        handle: ({ ctx, params }) => svc.nodes.revoke(ctx, params.id),
      }),
      route({
        method: "POST",
        url: "/api/v1/agent/enroll",
        action: "node.enroll",
        config: { auth: "public", rateLimit: authRateLimit },
        description:
          "Used by `steward agent enroll`: exchanges an enrollment token and a CSR for the agent's certificate.",
        body: agent.enrollRequest,
        reply: agent.enrollResponse,
        handle: ({ ctx, body }) => svc.nodes.enroll(ctx, body),
      }),
    ],
  );
}
