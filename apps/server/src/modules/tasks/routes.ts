import {
  page,
  pageQuery,
  task,
  taskCreate,
  taskListQuery,
  taskLog,
  taskUpdate,
} from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { crudRoutes, declareRoutes, route } from "../../http/declare.ts";
import { errors, idParams, paged, typed } from "../../http/route.ts";
import { sseHub } from "../../http/sse.ts";
import { checkCursor } from "../../lib/sql.ts";
import type { Services } from "../../services.ts";
import { HEARTBEAT_MS, streamTask } from "./stream.ts";

export function tasksRoutes(app: FastifyInstance, svc: Services) {
  const r = typed(app);
  const tags = ["tasks"];
  const streams = sseHub(app, HEARTBEAT_MS);
  r.post(
    "/api/v1/tasks",
    {
      config: { action: "task.create" },
      schema: {
        tags,
        description:
          "201 with the new task; 200 with the task already queued or running when the kind " +
          "allows one active task per key.",
        body: taskCreate,
        response: { 200: task, 201: task, ...errors },
      },
    },
    async (req, reply) => {
      const out = await svc.tasks.create(req.ctx, req.body);
      return reply.status(out.created ? 201 : 200).send(out.task);
    },
  );
  declareRoutes(app, tags, [
    ...crudRoutes({
      base: "/api/v1/tasks",
      noun: "task",
      item: task,
      listQuery: taskListQuery.shape,
      update: taskUpdate,
      service: { list: svc.tasks.list, get: svc.tasks.get, update: svc.tasks.update },
    }),
    route({
      method: "GET",
      url: "/api/v1/tasks/:id/logs",
      action: "task.logs",
      description: "Oldest first; the cursor is the id of the last line already read.",
      params: idParams,
      query: paged({}),
      reply: page(taskLog),
      handle: ({ ctx, params, query }) => svc.tasks.logs(ctx, params.id, query),
    }),
    ...(["run", "cancel"] as const).map((verb) =>
      route({
        method: "POST",
        url: `/api/v1/tasks/:id/${verb}`,
        action: `task.${verb}`,
        params: idParams,
        reply: task,
        handle: ({ ctx, params }) => svc.tasks[verb](ctx, params.id),
      }),
    ),
  ]);
  r.get(
    "/api/v1/tasks/:id/events",
    {
      config: { action: "task.events" },
      schema: {
        tags,
        description:
          "Server-sent events: `log` (id = the line's id), `progress` and `state`; the lines " +
          "written so far come first (after the line `after`), then live ones. The stream " +
          "ends when the task does; a comment every 15 s keeps it open.",
        params: idParams,
        querystring: z.strictObject({ after: pageQuery.cursor }),
        response: { 200: z.string().describe("text/event-stream"), ...errors },
      },
    },
    async (req, reply) => {
      const row = await svc.tasks.mustFind(req.ctx, req.params.id);
      const after = checkCursor(req.query.after);
      const sse = streams.open(req, reply);
      streamTask({ db: svc.db.db, bus: svc.engine.bus }, sse, row.id, after);
      return reply;
    },
  );
}
