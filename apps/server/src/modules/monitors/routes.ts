import { page } from "@steward/contracts";
import {
  heartbeatParams,
  monitor,
  monitorCreate,
  monitorCreated,
  monitorListItem,
  monitorListQuery,
  monitorResult,
  monitorResultsQuery,
  monitorSeries,
  monitorSeriesQuery,
  monitorUpdate,
} from "@steward/contracts/monitors";
import type { FastifyInstance } from "fastify";
import { type AnyRoute, crudRoutes, declareRoutes, route } from "../../http/declare.ts";
import { idParams, paged } from "../../http/route.ts";
import type { Services } from "../../services.ts";

/** A heartbeat may report in often (many cron jobs behind one address): 600 a minute. */
const heartbeatRateLimit = { max: 600, timeWindow: "1 minute" };

export function monitorsRoutes(app: FastifyInstance, svc: Services) {
  const toggle = (verb: "pause" | "resume"): AnyRoute =>
    route({
      method: "POST",
      url: `/api/v1/monitors/:id/${verb}`,
      action: `monitor.${verb}`,
      params: idParams,
      reply: monitor,
      handle: ({ ctx, params }) => svc.monitors[verb](ctx, params.id),
    });
  const heartbeat = (method: "GET" | "POST"): AnyRoute =>
    route({
      method,
      url: "/api/v1/heartbeat/:token",
      action: "monitor.heartbeat",
      config: { auth: "public", rateLimit: heartbeatRateLimit },
      description:
        "A heartbeat monitor's report (a cron job, a backup): no sign-in, the token is the credential. 404 for an unknown token, 409 while the monitor is paused.",
      params: heartbeatParams,
      handle: ({ ctx, params }) => svc.monitors.heartbeat(ctx, params.token),
    });
  declareRoutes(
    app,
    ["monitors"],
    [
      ...crudRoutes({
        base: "/api/v1/monitors",
        noun: "monitor",
        item: monitor,
        listItem: monitorListItem,
        listQuery: monitorListQuery.shape,
        update: monitorUpdate,
        deletable: true,
        service: svc.monitors,
      }),
      route({
        method: "POST",
        url: "/api/v1/monitors",
        action: "monitor.create",
        description:
          "Creates a monitor; a heartbeat monitor's token is in this answer only (stored hashed).",
        body: monitorCreate,
        reply: monitorCreated,
        status: 201,
        handle: ({ ctx, body }) => svc.monitors.create(ctx, body),
      }),
      route({
        method: "GET",
        url: "/api/v1/monitors/:id/results",
        action: "monitor.results",
        description: "The monitor's check results, newest first, within from..to.",
        params: idParams,
        query: paged(monitorResultsQuery.shape),
        reply: page(monitorResult),
        handle: ({ ctx, params, query }) => svc.monitors.results(ctx, params.id, query),
      }),
      route({
        method: "GET",
        url: "/api/v1/monitors/:id/series",
        action: "monitor.series",
        description:
          "The monitor's history over a range: every bucket (10 minutes for 24h, an hour for 7d, a day for 30d and 90d) with its checks, uptime and p50/p95/max response times, and the range's uptime.",
        params: idParams,
        query: monitorSeriesQuery,
        reply: monitorSeries,
        handle: ({ ctx, params, query }) => svc.monitors.series(ctx, params.id, query),
      }),
      route({
        method: "POST",
        url: "/api/v1/monitors/:id/check",
        action: "monitor.check",
        description:
          "Checks the monitor now and answers the result, recorded as a scheduled check: kept in its results, its state and events moved by it.",
        params: idParams,
        reply: monitorResult,
        handle: ({ ctx, params }) => svc.monitors.check(ctx, params.id),
      }),
      toggle("pause"),
      toggle("resume"),
      heartbeat("GET"),
      heartbeat("POST"),
    ],
  );
}
