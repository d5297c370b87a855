import { page } from "@steward/contracts";
import {
  artifactDeleteQuery,
  artifactImport,
  artifactImportAnswer,
  backupDestination,
  backupDestinationCreate,
  backupDestinationListQuery,
  destinationTest,
  explorerObject,
  explorerQuery,
} from "@steward/contracts/backups";
import type { FastifyInstance } from "fastify";
import { crudRoutes, declareRoutes, route } from "../../http/declare.ts";
import { idParams, paged } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function backupsRoutes(app: FastifyInstance, svc: Services) {
  declareRoutes(
    app,
    ["backups"],
    [
      ...crudRoutes({
        base: "/api/v1/backup-destinations",
        noun: "backup-destination",
        item: backupDestination,
        listQuery: backupDestinationListQuery.shape,
        service: svc.backups,
        deletable: true,
      }),
      route({
        method: "POST",
        url: "/api/v1/backup-destinations",
        action: "backup-destination.create",
        description:
          "Adds a backup destination (a node's directory, S3-compatible, SFTP, FTP/FTPS) after testing it (write, read back, delete a probe object); its secrets are sealed at rest and never answered. A failing test refuses the create unless saveAnyway.",
        body: backupDestinationCreate,
        reply: backupDestination,
        status: 201,
        handle: ({ ctx, body }) => svc.backups.create(ctx, body),
      }),
      route({
        method: "POST",
        url: "/api/v1/backup-destinations/:id/test",
        action: "backup-destination.test",
        description: "Tests the destination now: writes, reads back and deletes a probe object.",
        params: idParams,
        reply: destinationTest,
        handle: ({ ctx, params }) => svc.backups.test(ctx, params.id),
      }),
      route({
        method: "GET",
        url: "/api/v1/backup-destinations/:id/objects",
        action: "backup-destination.objects",
        description:
          "The storage explorer: the destination's objects in name order, each with its sidecar and the artifact the panel recorded for it (known, unknown), or (status=missing) the recorded artifacts whose object is gone; filters by plan, source, verification, time and size. On a shared destination an account's members see only that account's objects.",
        params: idParams,
        query: paged(explorerQuery.shape),
        reply: page(explorerObject),
        handle: ({ ctx, params, query }) => svc.backupExplorer.objects(ctx, params.id, query),
      }),
      route({
        method: "POST",
        url: "/api/v1/backup-destinations/:id/import",
        action: "backup-artifact.import",
        description:
          "Registers unknown artifacts of the destination from their sidecars (size and SHA-256 checked against the objects) as artifacts of an account, of a plan or orphans.",
        params: idParams,
        body: artifactImport,
        reply: artifactImportAnswer,
        status: 201,
        handle: ({ ctx, params, body }) => svc.backupExplorer.import(ctx, params.id, body),
      }),
      route({
        method: "DELETE",
        url: "/api/v1/backup-artifacts/:id",
        action: "backup-artifact.delete",
        description:
          "Deletes the artifact's object and sidecar from its destination and marks it deleted; the only good copy of its source only with force=true.",
        params: idParams,
        query: artifactDeleteQuery,
        handle: ({ ctx, params, query }) =>
          svc.backupExplorer.deleteArtifact(ctx, params.id, query.force === "true"),
      }),
    ],
  );
}
