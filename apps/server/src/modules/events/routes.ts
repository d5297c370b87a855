import { eventListQuery, recordedEvent } from "@steward/contracts/notifications";
import type { FastifyInstance } from "fastify";
import { crudRoutes, declareRoutes } from "../../http/declare.ts";
import type { Services } from "../../services.ts";

export function eventsRoutes(app: FastifyInstance, svc: Services) {
  declareRoutes(
    app,
    ["events"],
    [
      ...crudRoutes({
        base: "/api/v1/events",
        noun: "event",
        item: recordedEvent,
        listQuery: eventListQuery.shape,
        service: {
          list: (ctx, q) => svc.events.list(ctx, q),
          get: (ctx, id) => svc.events.get(ctx, id),
        },
      }),
    ],
  );
}
