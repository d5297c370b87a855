// The routes of backup sources, plans (+ run now), runs and artifacts (issue 15).

import { page } from "@steward/contracts";
import {
  backupArtifact,
  backupArtifactListQuery,
  backupPlan,
  backupPlanCreate,
  backupPlanListQuery,
  backupRun,
  backupRunListQuery,
  backupSource,
  backupSourceCreate,
  backupSourceListQuery,
  runNowAnswer,
} from "@steward/contracts/backups";
import type { FastifyInstance } from "fastify";
import { crudRoutes, declareRoutes, route } from "../../http/declare.ts";
import { idParams, paged } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function backupPlansRoutes(app: FastifyInstance, svc: Services) {
  const plans = () => svc.backupPlans;
  declareRoutes(
    app,
    ["backups"],
    [
      ...crudRoutes({
        base: "/api/v1/backup-sources",
        noun: "backup-source",
        item: backupSource,
        listQuery: backupSourceListQuery.shape,
        service: svc.backupSources,
        deletable: true,
        create: backupSourceCreate,
        createDescription:
          "Adds a backup source: a node's directory (with excludes) or MongoDB from a node (super users), a database or every database of a server of the account (checked first: the databases it lists; a failing check refuses it unless saveAnyway).",
      }),
      ...crudRoutes({
        base: "/api/v1/backup-plans",
        noun: "backup-plan",
        item: backupPlan,
        listQuery: backupPlanListQuery.shape,
        service: plans(),
        deletable: true,
        create: backupPlanCreate,
        createDescription:
          "Adds a backup plan: sources of the account to its (or shared) destinations, on a cron schedule in a time zone or only when run, zstd level, encryption (none, the user's public keys, or a key pair sealed in the panel), retention (keep-last or GFS) and runs per node at once.",
      }),
      route({
        method: "POST",
        url: "/api/v1/backup-plans/:id/run",
        action: "backup-plan.run",
        description:
          "Runs the plan now: one task per source (per database of a server source) on the node that reads it; answers the runs and their tasks.",
        params: idParams,
        reply: runNowAnswer,
        status: 202,
        handle: ({ ctx, params }) => plans().run(ctx, params.id),
      }),
      route({
        method: "GET",
        url: "/api/v1/backup-runs",
        action: "backup-run.list",
        description: "The runs of the plans one reads, newest first (by plan, by status).",
        query: paged(backupRunListQuery.shape),
        reply: page(backupRun),
        handle: ({ ctx, query }) => plans().listRuns(ctx, query),
      }),
      route({
        method: "GET",
        url: "/api/v1/backup-runs/:id",
        action: "backup-run.read",
        description: "A run with each destination's outcome (bytes, SHA-256 or the error).",
        params: idParams,
        reply: backupRun,
        handle: ({ ctx, params }) => plans().getRun(ctx, params.id),
      }),
      route({
        method: "GET",
        url: "/api/v1/backup-artifacts",
        action: "backup-artifact.list",
        description:
          "The artifacts runs stored, newest first (by plan, source, destination, verification, time).",
        query: paged(backupArtifactListQuery.shape),
        reply: page(backupArtifact),
        handle: ({ ctx, query }) => plans().listArtifacts(ctx, query),
      }),
      route({
        method: "GET",
        url: "/api/v1/backup-artifacts/:id",
        action: "backup-artifact.read",
        params: idParams,
        reply: backupArtifact,
        handle: ({ ctx, params }) => plans().getArtifact(ctx, params.id),
      }),
    ],
  );
}
