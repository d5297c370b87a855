// The git side of the apps API (docs/apps.md, "From a git repository"): create from a
// repository, the webhook's address and secret, and the webhook itself: public (the signature
// is its credential), reading the body as bytes, since the HMAC is over the exact body sent.
import { app, appGitCreate, appWebhook, appWebhookResult } from "@steward/contracts/apps";
import type { FastifyInstance } from "fastify";
import { declareRoutes, route } from "../../http/declare.ts";
import { errors, idParams, typed } from "../../http/route.ts";
import type { Services } from "../../services.ts";

/** deliveries of one address: GitHub sends one per push, a burst at most */
const webhookRateLimit = { max: 120, timeWindow: "1 minute" };
/** GitHub caps payloads at 25 MB; a push event is far smaller */
const WEBHOOK_BODY_LIMIT = 5 * 1024 * 1024;

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export function gitAppsRoutes(fastify: FastifyInstance, svc: Services) {
  const tags = ["apps"];
  declareRoutes(fastify, tags, [
    route({
      method: "POST",
      url: "/api/v1/apps/git",
      action: "app.create",
      description:
        "Creates an app from a git repository (https with a token, or ssh with a deploy key made here: its public half is in `git.publicKey`) and deploys it (a task: clone, build, run). The answer carries the webhook's address and secret.",
      body: appGitCreate,
      reply: app.extend({ webhook: appWebhook }),
      status: 201,
      handle: ({ ctx, body }) => svc.gitApps.create(ctx, body),
    }),
    route({
      method: "GET",
      url: "/api/v1/apps/:id/webhook",
      action: "app.webhook_show",
      description:
        "The app's webhook: the address to give the repository's host, the secret it signs deliveries with (X-Hub-Signature-256), the content type and events.",
      params: idParams,
      reply: appWebhook,
      handle: ({ ctx, params }) => svc.gitApps.webhook(ctx, params.id),
    }),
  ]);
  fastify.register(async (scope) => {
    scope.removeContentTypeParser("application/json");
    scope.addContentTypeParser(
      "application/json",
      { parseAs: "buffer", bodyLimit: WEBHOOK_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    typed(scope).post(
      "/api/v1/apps/:id/webhook",
      {
        config: { action: "app.webhook", auth: "public", rateLimit: webhookRateLimit },
        schema: {
          tags,
          description:
            "A push from the repository's host (GitHub's format: X-Hub-Signature-256 = sha256=HMAC-SHA256(secret, body), X-GitHub-Delivery, X-GitHub-Event; application/json). A push to the app's branch redeploys it; a delivery id is acted on once (409 after). No sign-in: the signature is the credential (401 without a valid one).",
          params: idParams,
          response: { 202: appWebhookResult, ...errors },
        },
      },
      async (req, reply) => {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const out = await svc.gitApps.receive(
          req.ip,
          req.params.id,
          {
            signature: header(req.headers["x-hub-signature-256"]),
            delivery: header(req.headers["x-github-delivery"]),
            event: header(req.headers["x-github-event"]),
          },
          body,
        );
        return reply.status(202).send(out);
      },
    );
  });
}
