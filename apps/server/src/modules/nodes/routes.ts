import {
  agent,
  enqueued,
  enrollmentToken,
  node,
  nodeCreate,
  nodeListQuery,
  nodeMetrics,
  nodeSummary,
  nodeUpdate,
  page,
} from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { errors, idParams, paged, typed } from "../../http/route.ts";
import type { Services } from "../../services.ts";
import { authRateLimit } from "../setup/routes.ts";

export function nodesRoutes(app: FastifyInstance, svc: Services) {
  const r = typed(app);
  const tags = ["nodes"];
  r.get(
    "/api/v1/nodes",
    {
      config: { action: "node.list" },
      schema: {
        tags,
        querystring: paged(nodeListQuery.shape),
        response: { 200: page(nodeSummary), ...errors },
      },
    },
    (req) => svc.nodes.list(req.ctx, req.query),
  );
  r.post(
    "/api/v1/nodes",
    {
      config: { action: "node.create" },
      schema: {
        tags,
        description: "Adds a node (pending until its agent enrolls with a token).",
        body: nodeCreate,
        response: { 201: node, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.nodes.create(req.ctx, req.body)),
  );
  r.get(
    "/api/v1/nodes/:id",
    {
      config: { action: "node.read" },
      schema: { tags, params: idParams, response: { 200: node, ...errors } },
    },
    (req) => svc.nodes.get(req.ctx, req.params.id),
  );
  r.patch(
    "/api/v1/nodes/:id",
    {
      config: { action: "node.update" },
      schema: {
        tags,
        description:
          "Changes what the node's outbound targets (proxy upstreams) may reach: private ranges, more CIDR ranges. Super users only; applies from each site's next apply.",
        params: idParams,
        body: nodeUpdate,
        response: { 200: node, ...errors },
      },
    },
    (req) => svc.nodes.update(req.ctx, req.params.id, req.body),
  );
  r.post(
    "/api/v1/nodes/:id/enrollment-token",
    {
      config: { action: "node.token" },
      schema: {
        tags,
        description:
          "A single-use enrollment token, valid 15 minutes; it replaces the node's unused ones.",
        params: idParams,
        response: { 201: enrollmentToken, ...errors },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await svc.nodes.enrollmentToken(req.ctx, req.params.id)),
  );
  r.get(
    "/api/v1/nodes/:id/metrics",
    {
      config: { action: "node.read" },
      schema: {
        tags,
        description:
          "The node's health over the last 24 hours (load, CPU, memory, root disk), one point per minute at most, oldest first.",
        params: idParams,
        response: { 200: nodeMetrics, ...errors },
      },
    },
    (req) => svc.nodes.metrics(req.ctx, req.params.id),
  );
  r.post(
    "/api/v1/nodes/:id/facts/refresh",
    {
      config: { action: "node.facts" },
      schema: {
        tags,
        description:
          "Asks the node's agent for its facts now: enqueues a node.facts task (the one already waiting, if any) and answers with it.",
        params: idParams,
        response: { 202: enqueued, ...errors },
      },
    },
    async (req, reply) =>
      reply.status(202).send(await svc.nodes.refreshFacts(req.ctx, req.params.id)),
  );
  r.post(
    "/api/v1/nodes/:id/revoke",
    {
      config: { action: "node.revoke" },
      schema: { tags, params: idParams, response: { 200: node, ...errors } },
    },
    (req) => svc.nodes.revoke(req.ctx, req.params.id),
  );
  r.post(
    "/api/v1/agent/enroll",
    {
      config: { action: "node.enroll", auth: "public", rateLimit: authRateLimit },
      schema: {
        tags,
        description:
          "Used by `steward agent enroll`: exchanges an enrollment token and a CSR for the agent's certificate.",
        body: agent.enrollRequest,
        response: { 200: agent.enrollResponse, ...errors },
      },
    },
    (req) => svc.nodes.enroll(req.ctx, req.body),
  );
}
