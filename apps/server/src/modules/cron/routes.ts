// /api/v1/cron-jobs (docs/hosting.md#cron-jobs): hosting accounts' cron jobs, run as their
// system users on their nodes; parse, then delegate to the service (which authorizes, queues
// the node's cron.apply and audits). Deletes name the job again (`?confirm=<id>`).
import { page } from "@steward/contracts";
import {
  cronJob,
  cronJobCreate,
  cronJobDeleteQuery,
  cronJobListQuery,
  cronJobUpdate,
  cronRunStarted,
} from "@steward/contracts/hosting";
import type { FastifyInstance } from "fastify";
import { declareRoutes, route } from "../../http/declare.ts";
import { idParams, paged } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function cronRoutes(fastify: FastifyInstance, svc: Services) {
  const base = "/api/v1/cron-jobs";
  declareRoutes(
    fastify,
    ["cron-jobs"],
    [
      route({
        method: "GET",
        url: base,
        action: "cron-job.list",
        description:
          "Cron jobs of the accounts the caller reads, in the order they were made: schedule, command, the system user they run as, the node file's status and the last run now.",
        query: paged(cronJobListQuery.shape),
        reply: page(cronJob),
        handle: ({ ctx, query }) => svc.cron.list(ctx, query),
      }),
      route({
        method: "GET",
        url: `${base}/:id`,
        action: "cron-job.get",
        description: "A cron job and its last run now.",
        params: idParams,
        reply: cronJob,
        handle: ({ ctx, params }) => svc.cron.get(ctx, params.id),
      }),
      route({
        method: "POST",
        url: base,
        action: "cron-job.create",
        description:
          "Adds a cron job to its account's /etc/cron.d/steward-<account> on the node of its system user, which it runs as (never root); the node is changed by a task (`taskId`). The command is one line without `%`; PATH and MAILTO may be set, SHELL is /bin/sh.",
        body: cronJobCreate,
        reply: cronJob,
        status: 201,
        handle: ({ ctx, body }) => svc.cron.create(ctx, body),
      }),
      route({
        method: "PATCH",
        url: `${base}/:id`,
        action: "cron-job.update",
        description:
          "Changes a job's schedule, command, environment or whether it is enabled; applied by a task.",
        params: idParams,
        body: cronJobUpdate,
        reply: cronJob,
        handle: ({ ctx, params, body }) => svc.cron.update(ctx, params.id, body),
      }),
      route({
        method: "DELETE",
        url: `${base}/:id`,
        action: "cron-job.delete",
        description:
          "Deletes the job: its line leaves the node's file (a task; the row goes when it succeeds). `confirm` must be its id.",
        params: idParams,
        query: cronJobDeleteQuery,
        reply: cronJob,
        status: 202,
        handle: ({ ctx, params, query }) => svc.cron.remove(ctx, params.id, query.confirm),
      }),
      route({
        method: "POST",
        url: `${base}/:id/run`,
        action: "cron-job.run",
        description:
          "Runs the job's command now as its system user (a `cron.run` task: the output is in its log, the exit status on the job's `lastRun`; a non-zero status fails the task).",
        params: idParams,
        reply: cronRunStarted,
        status: 202,
        handle: ({ ctx, params }) => svc.cron.run(ctx, params.id),
      }),
    ],
  );
}
