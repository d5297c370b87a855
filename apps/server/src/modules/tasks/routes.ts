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
import { errors, idParams, paged, typed } from "../../http/route.ts";
import { sseHub } from "../../http/sse.ts";
import { checkCursor } from "../../lib/sql.ts";
import type { Services } from "../../services.ts";
import { HEARTBEAT_MS, streamTask } from "./stream.ts";

export function tasksRoutes(app: FastifyInstance, svc: Services) {
  const r = typed(app);
  const tags = ["tasks"];
  const streams = sseHub(app, HEARTBEAT_MS);
  r.get(
    "/api/v1/tasks",
    {
      config: { action: "task.list" },
      schema: {
        tags,
        querystring: paged(taskListQuery.shape),
        response: { 200: page(task), ...errors },
      },
    },
    (req) => svc.taskApi.list(req.ctx, req.query),
  );
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
      const out = await svc.taskApi.create(req.ctx, req.body);
      return reply.status(out.created ? 201 : 200).send(out.task);
    },
  );
  r.get(
    "/api/v1/tasks/:id",
    {
      config: { action: "task.read" },
      schema: { tags, params: idParams, response: { 200: task, ...errors } },
    },
    (req) => svc.taskApi.get(req.ctx, req.params.id),
  );
  r.patch(
    "/api/v1/tasks/:id",
    {
      config: { action: "task.update" },
      schema: { tags, params: idParams, body: taskUpdate, response: { 200: task, ...errors } },
    },
    (req) => svc.taskApi.update(req.ctx, req.params.id, req.body),
  );
  r.get(
    "/api/v1/tasks/:id/logs",
    {
      config: { action: "task.logs" },
      schema: {
        tags,
        description: "Oldest first; the cursor is the id of the last line already read.",
        params: idParams,
        querystring: paged({}),
        response: { 200: page(taskLog), ...errors },
      },
    },
    (req) => svc.taskApi.logs(req.ctx, req.params.id, req.query),
  );
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
      const row = await svc.taskApi.mustFind(req.ctx, req.params.id);
      const after = checkCursor(req.query.after);
      const sse = streams.open(req, reply);
      streamTask({ db: svc.db.db, bus: svc.tasks.bus }, sse, row.id, after);
      return reply;
    },
  );
  for (const [verb, action] of [
    ["run", "task.run"],
    ["cancel", "task.cancel"],
  ] as const) {
    r.post(
      `/api/v1/tasks/:id/${verb}`,
      {
        config: { action },
        schema: { tags, params: idParams, response: { 200: task, ...errors } },
      },
      (req) => svc.taskApi[verb](req.ctx, req.params.id),
    );
  }
}
