import {
  backupDestination,
  backupDestinationCreate,
  backupDestinationListQuery,
  destinationTest,
} from "@steward/contracts/backups";
import type { FastifyInstance } from "fastify";
import { crudRoutes, declareRoutes, route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
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
    ],
  );
}
