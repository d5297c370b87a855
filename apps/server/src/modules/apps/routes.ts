import { page } from "@steward/contracts";
import {
  app,
  appAction,
  appCreate,
  appListQuery,
  appLogsQuery,
  appRemoved,
  appRemoveQuery,
  appStats,
  nodeContainers,
  nodeDiskUsage,
  nodePrune,
  nodePruned,
} from "@steward/contracts/apps";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { declareRoutes, route } from "../../http/declare.ts";
import { errors, idParams, paged, typed } from "../../http/route.ts";
import { sseHub } from "../../http/sse.ts";
import type { Services } from "../../services.ts";

const HEARTBEAT_MS = 15_000;
/** how often a live log stream reads the node again */
const POLL_MS = 2_000;

export function appsRoutes(fastify: FastifyInstance, svc: Services) {
  const tags = ["apps"];
  declareRoutes(fastify, tags, [
    route({
      method: "GET",
      url: "/api/v1/apps",
      action: "app.list",
      description:
        "The apps the caller sees (of one account, node, status, source; `q`: part of the name), newest first, in pages (`cursor`: the last page's `nextCursor`), without secret values.",
      query: paged(appListQuery.shape),
      reply: page(app),
      handle: ({ ctx, query }) => svc.apps.list(ctx, query),
    }),
    route({
      method: "GET",
      url: "/api/v1/apps/:id",
      action: "app.get",
      description: "An app with its latest deployments and their containers.",
      params: idParams,
      reply: app,
      handle: ({ ctx, params }) => svc.apps.get(ctx, params.id),
    }),
    route({
      method: "POST",
      url: "/api/v1/apps",
      action: "app.create",
      description:
        "Creates a quick service from an image on a node and deploys it (a task: `taskId`). The name defaults to the image's (suffixed -2, -3... when the node has it); ports without a host port get a free one.",
      body: appCreate,
      reply: app,
      status: 201,
      handle: ({ ctx, body }) => svc.apps.create(ctx, body),
    }),
    route({
      method: "POST",
      url: "/api/v1/apps/:id/deploy",
      action: "app.deploy",
      description: "Deploys the app again (a task): its container replaced, its volumes kept.",
      params: idParams,
      reply: app,
      status: 202,
      handle: ({ ctx, params }) => svc.apps.deploy(ctx, params.id),
    }),
    ...(["start", "stop", "restart"] as const).map((verb) =>
      route({
        method: "POST",
        url: `/api/v1/apps/:id/${verb}`,
        action: `app.${verb}`,
        description:
          verb === "stop"
            ? "Stops the app's containers; they stay, with their configuration, for a start."
            : `${verb === "start" ? "Starts" : "Restarts"} the app's containers.`,
        params: idParams,
        reply: app,
        handle: ({ ctx, params }) => svc.apps.act(ctx, params.id, appAction.parse(verb)),
      }),
    ),
    route({
      method: "DELETE",
      url: "/api/v1/apps/:id",
      action: "app.remove",
      description:
        "Removes the app and its containers; `volumes=true` also its volumes (the directories named in the answer).",
      params: idParams,
      query: appRemoveQuery,
      reply: appRemoved,
      handle: ({ ctx, params, query }) => svc.apps.remove(ctx, params.id, query.volumes === "true"),
    }),
    route({
      method: "GET",
      url: "/api/v1/apps/:id/stats",
      action: "app.stats",
      description:
        "CPU, memory and network of the app's containers now, and the samples this panel read before (up to 60).",
      params: idParams,
      reply: appStats,
      handle: ({ ctx, params }) => svc.appObserver.stats(ctx, params.id),
    }),
    route({
      method: "GET",
      url: "/api/v1/nodes/:id/containers",
      action: "node.containers",
      description: "Every container of the node's engine, running and stopped (super users).",
      params: idParams,
      reply: nodeContainers,
      handle: ({ ctx, params }) => svc.appObserver.containers(ctx, params.id),
    }),
    route({
      method: "GET",
      url: "/api/v1/nodes/:id/disk-usage",
      action: "node.disk_usage",
      description:
        "The node's container engine's disk usage: images, containers, volumes, build cache.",
      params: idParams,
      reply: nodeDiskUsage,
      handle: ({ ctx, params }) => svc.appObserver.diskUsage(ctx, params.id),
    }),
    route({
      method: "POST",
      url: "/api/v1/nodes/:id/prune",
      action: "node.prune",
      description:
        "Removes stopped containers, unused images, unused volumes and build cache as asked; answers the bytes the engine freed.",
      params: idParams,
      body: nodePrune,
      reply: nodePruned,
      handle: ({ ctx, params, body }) => svc.appObserver.prune(ctx, params.id, body),
    }),
  ]);
  const r = typed(fastify);
  const streams = sseHub(fastify, HEARTBEAT_MS);
  r.get(
    "/api/v1/apps/:id/logs",
    {
      config: { action: "app.logs" },
      schema: {
        tags,
        description:
          "Server-sent events `log` (one line of one of the app's containers: container, stream, at, text): the last `tail` lines first, then new ones as they come; `filter` keeps lines containing it.",
        params: idParams,
        querystring: appLogsQuery,
        response: { 200: z.string().describe("text/event-stream"), ...errors },
      },
    },
    async (req, reply) => {
      const { filter, tail } = req.query;
      let lines = await svc.appObserver.logs(req.ctx, req.params.id, { tail, filter });
      const sse = streams.open(req, reply);
      let last = "";
      const send = () => {
        const from = last;
        for (const l of lines)
          if (l.at > from) {
            sse.send("log", l);
            if (l.at > last) last = l.at;
          }
      };
      send();
      const timer = setInterval(async () => {
        if (sse.closed) return;
        const since = last ? Math.floor(Date.parse(last) / 1000) : 0;
        try {
          lines = await svc.appObserver.logs(req.ctx, req.params.id, { since, tail: 1000, filter });
          send();
        } catch (e) {
          sse.send("error", { message: e instanceof Error ? e.message : String(e) });
          sse.close();
        }
      }, POLL_MS);
      sse.onClose(() => clearInterval(timer));
      return reply;
    },
  );
}
