// The routes of an artifact's restore and test restore, a plan's change and its recovery kit
// (issue 15). Restores and test restores answer 202 with the task that does them.
import {
  artifactDownloadQuery,
  artifactDownloadRequest,
  artifactRestoreRequest,
  artifactTaskAnswer,
  artifactVerifyRequest,
  backupPlan,
  backupPlanUpdate,
  recoveryKitQuery,
} from "@steward/contracts/backups";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { declareRoutes, route } from "../../http/declare.ts";
import { errors, idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function backupArtifactsRoutes(app: FastifyInstance, svc: Services) {
  const tags = ["backups"];
  declareRoutes(app, tags, [
    route({
      method: "POST",
      url: "/api/v1/backup-artifacts/:id/restore",
      action: "backup-artifact.restore",
      description:
        "Restores the artifact (a task on the node that reaches the target): a database into the same database, another name or another database server of the account (replace: an existing one is replaced as a whole), files into their place or another absolute path of a node (super users). dryRun lists what would change and changes nothing (the task's result). An artifact of a recipients plan needs identity (a private key, never stored).",
      params: idParams,
      body: artifactRestoreRequest,
      reply: artifactTaskAnswer,
      status: 202,
      handle: ({ ctx, params, body }) => svc.backupArtifacts.restore(ctx, params.id, body),
    }),
    route({
      method: "POST",
      url: "/api/v1/backup-artifacts/:id/verify",
      action: "backup-artifact.verify",
      description:
        "Test-restores the artifact (a task): a database into a throwaway database on its server, row counts compared with the dump's; files read back whole. Verified or the failure is recorded on the artifact, with the event backup.verified or backup.verify_failed.",
      params: idParams,
      body: artifactVerifyRequest,
      reply: artifactTaskAnswer,
      status: 202,
      handle: ({ ctx, params, body }) => svc.backupArtifacts.verify(ctx, params.id, body),
    }),
    route({
      method: "PATCH",
      url: "/api/v1/backup-plans/:id",
      action: "backup-plan.update",
      description:
        "Changes a plan (the checks of a create); a changed schedule reschedules or cancels its recurring task. Encryption keeps its mode (a recipients plan may change its keys).",
      params: idParams,
      body: backupPlanUpdate,
      reply: backupPlan,
      handle: ({ ctx, params, body }) => svc.backupPlans.update(ctx, params.id, body),
    }),
  ]);
  const download = async (
    req: FastifyRequest,
    reply: FastifyReply,
    o: { decrypt: boolean; identity?: string },
  ) => {
    const { id } = req.params as z.output<typeof idParams>;
    const file = await svc.backupArtifacts.download(req.ctx, id, o);
    // a client that goes away stops the read
    reply.raw.on("close", () => file.stream.destroy());
    return reply
      .type("application/octet-stream")
      .header("cache-control", "no-store")
      .header("content-disposition", `attachment; filename="${file.filename}"`)
      .send(file.stream);
  };
  const bytes = z.string().describe("the artifact's bytes");
  app.get(
    "/api/v1/backup-artifacts/:id/download",
    {
      config: { action: "backup-artifact.download" },
      schema: {
        tags,
        description:
          "The artifact streamed through the panel from its S3, SFTP or FTP destination (a node's directory: 409), as stored, or with decrypt=true decrypted (the plan's panel key) and decompressed; the SHA-256 and every chunk checked on the way. Recipients plans: POST with the identity.",
        params: idParams,
        querystring: artifactDownloadQuery,
        response: { 200: bytes, ...errors },
      },
    },
    (req, reply) =>
      download(req, reply, {
        decrypt: (req.query as z.output<typeof artifactDownloadQuery>).decrypt === "true",
      }),
  );
  app.post(
    "/api/v1/backup-artifacts/:id/download",
    {
      config: { action: "backup-artifact.download" },
      schema: {
        tags,
        description:
          "The artifact decrypted with the caller's identity (a private key of the plan's recipients, in the body: never in a URL, never stored) and decompressed, streamed.",
        params: idParams,
        body: artifactDownloadRequest,
        response: { 200: bytes, ...errors },
      },
    },
    (req, reply) =>
      download(req, reply, {
        decrypt: true,
        identity: (req.body as z.output<typeof artifactDownloadRequest>).identity,
      }),
  );
  app.post(
    "/api/v1/backup-plans/:id/recovery-kit",
    {
      config: { action: "backup-plan.recovery-kit" },
      schema: {
        tags,
        description:
          "The private key of a plan encrypted with a panel key, once, as a text file with instructions (its admins); again only with again=true and a reason (audited).",
        params: idParams,
        querystring: recoveryKitQuery,
        response: { 200: z.string(), ...errors },
      },
    },
    async (req, reply) => {
      const { params, query } = req as unknown as {
        params: z.output<typeof idParams>;
        query: z.output<typeof recoveryKitQuery>;
      };
      const kit = await svc.backupPlans.recoveryKit(req.ctx, params.id, {
        again: query.again === "true",
        reason: query.reason,
      });
      return reply
        .type("text/plain; charset=utf-8")
        .header("cache-control", "no-store")
        .header(
          "content-disposition",
          `attachment; filename="steward-recovery-kit-${kit.plan.id}.txt"`,
        )
        .send(kit.text);
    },
  );
}
