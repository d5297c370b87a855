// Apps from a git repository (docs/apps.md, "From a git repository"): an account's admins
// create one from an https remote (a token, sealed) or an ssh remote (a deploy key made here,
// its private half sealed, its public half answered to add to the repository); the remote's
// host must pass the node's outbound policy, where the clone happens. Each app has a webhook
// secret (sealed): a push to its branch, signed as GitHub signs (X-Hub-Signature-256,
// HMAC-SHA256 of the body), redeploys it; each delivery id is acted on once.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { type AppGitCreate, nameFromImage, parseGitUrl } from "@steward/contracts/apps";
import { enforce } from "../../access/decision.ts";
import { apps as policy } from "../../access/policies/apps.ts";
import { type Ctx, systemActor } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import { AppError, conflict, invalid, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { refuseHere } from "../../lib/outbound.ts";
import { nodeLocalAddresses, nodePolicy } from "../nodes/outbound.ts";
import { findNode } from "../nodes/repo.ts";
import type { UpstreamSettings } from "../sites/upstream.ts";
import type { ComposeSpec } from "./compose-app.ts";
import { generateDeployKey } from "./deploy-key.ts";
import * as gitRepo from "./git-repo.ts";
import { containerRow, type NewRow } from "./new-app.ts";
import * as repo from "./repo.ts";
import type { AppsService } from "./service.ts";

interface Deps {
  db: Db;
  secrets: Secrets;
  settings: UpstreamSettings;
  apps: () => AppsService;
}

/** The headers of a delivery, as GitHub (and Gitea, which sends the same) names them. */
export interface WebhookHeaders {
  signature: string | undefined;
  delivery: string | undefined;
  event: string | undefined;
}

const DELIVERY = /^[A-Za-z0-9-]{1,100}$/;

/** `acme/shop.git` -> `shop`: the repository's name as an app name. */
export const nameFromRepo = (path: string) =>
  nameFromImage((path.split("/").at(-1) ?? "app").replace(/\.git$/, "").toLowerCase());

/** The image a git app's deployments are tagged under (`:<deployment id>` each). */
export const gitImageOf = (appId: string) => `localhost/steward/${appId}`;

/**
 * A git app that is a compose stack: a compose spec naming the repository's file, empty until
 * the first deploy reads it (its services, volumes and site's service are known then).
 */
function composeRow(
  input: AppGitCreate & { id: string; name: string },
  repoFile: string,
  ingress: string | undefined,
): NewRow {
  return {
    id: input.id,
    account: input.account,
    node: input.node,
    name: input.name,
    image: `${repoFile} (built from git)`,
    source: "git",
    env: input.env,
    spec: (plain): ComposeSpec => ({
      source: "compose",
      compose: "",
      repoFile,
      env: plain,
      services: [],
      volumes: [],
      ingress: ingress ?? null,
    }),
    domain: input.domain,
    audit: { source: "git", compose: repoFile, domain: input.domain ?? null },
  };
}

export function createGitAppsService({ db, secrets, settings, apps }: Deps) {
  const k = db.db;

  /** 400 naming git.url unless the node's outbound policy allows the remote's host. */
  async function checkRemote(nodeId: string, host: string, port: number) {
    const node = await findNode(k, nodeId);
    if (!node) return; // the node's own check says why
    const literal = host.includes(":") ? `[${host}]` : host;
    const why = await refuseHere(
      nodePolicy(settings, node),
      `https://${literal}:${port}`,
      "this node",
      nodeLocalAddresses(node),
    );
    if (why) throw invalid("git.url", why);
  }

  return {
    async create(ctx: Ctx, input: AppGitCreate) {
      await apps().admit(ctx, input.account, input.node);
      const remote = parseGitUrl(input.git.url);
      if (typeof remote === "string") throw invalid("git.url", remote);
      if (remote.kind === "ssh" && input.git.token)
        throw invalid("git.token", "is for https remotes: an ssh remote uses the app's deploy key");
      await checkRemote(input.node, remote.host, remote.port);
      const id = newId("app");
      const key = remote.kind === "ssh" ? generateDeployKey(`steward-${id}`) : null;
      const webhookSecret = randomBytes(32).toString("hex");
      const { git, ingressService, ...rest } = input;
      const name = input.name ?? nameFromRepo(remote.path);
      const app = await apps().insertNew(
        ctx,
        git.compose === undefined
          ? { ...containerRow({ ...rest, id, image: gitImageOf(id), name }), source: "git" }
          : composeRow({ ...input, id, name }, git.compose, ingressService),
        (trx) =>
          gitRepo.insertGitSource(trx, {
            app_id: id,
            url: git.url,
            ref: git.ref,
            // unused by a compose stack (its spec names the compose file)
            dockerfile: git.dockerfile ?? "Dockerfile",
            token_sealed: git.token ? secrets.seal(git.token) : null,
            deploy_key_sealed: key ? secrets.seal(key.privateKey) : null,
            public_key: key?.publicKey ?? null,
            webhook_secret_sealed: secrets.seal(webhookSecret),
            last_commit: null,
            updated_at: Date.now(),
          }),
      );
      return { ...app, webhook: webhookOf(id, webhookSecret) };
    },

    /** The webhook's address and secret (the app's admins). */
    async webhook(ctx: Ctx, id: string) {
      const row = await apps().mustFind(ctx, id);
      enforce(ctx, policy.canManage(ctx, row));
      const git = await gitRepo.findGitSource(k, id);
      if (!git) throw conflict("the app is not built from a git repository: it has no webhook");
      return webhookOf(id, secrets.open(git.webhook_secret_sealed));
    },

    /**
     * A delivery from the repository's host: the signature (HMAC-SHA256 of the exact body with
     * the app's secret, compared in constant time), then the delivery id (once), then a push
     * to the app's branch redeploys it. Unknown apps, apps without a git source and bad
     * signatures all answer before anything is read or written.
     */
    async receive(ip: string | null, id: string, h: WebhookHeaders, body: Buffer) {
      const row = await repo.findApp(k, id);
      const git = row && (await gitRepo.findGitSource(k, id));
      if (!row || !git) throw notFound(`app ${id}`);
      const sig = /^sha256=([0-9a-f]{64})$/.exec(h.signature ?? "")?.[1];
      if (!sig)
        throw new AppError(
          "UNAUTHENTICATED",
          "X-Hub-Signature-256 must be sha256=<HMAC-SHA256 of the body, hex>",
        );
      const expected = createHmac("sha256", secrets.open(git.webhook_secret_sealed))
        .update(body)
        .digest();
      if (!timingSafeEqual(Buffer.from(sig, "hex"), expected))
        throw new AppError("UNAUTHENTICATED", "X-Hub-Signature-256 does not match the body");
      if (!h.delivery || !DELIVERY.test(h.delivery))
        throw invalid("X-GitHub-Delivery", "must be the delivery's id (letters, digits, -)");
      if (!(await gitRepo.rememberDelivery(k, id, h.delivery)))
        throw conflict(
          "this delivery was received before: not deployed again",
          "X-GitHub-Delivery",
        );
      const skip = (reason: string) => ({ deployed: false, deploymentId: null, reason });
      if (h.event === "ping") return skip("pong: the webhook reaches Steward");
      if (h.event !== "push") return skip(`${h.event ?? "unnamed"} events do not deploy`);
      let ref: unknown;
      try {
        ref = (JSON.parse(body.toString("utf8")) as { ref?: unknown }).ref;
      } catch {
        throw invalid("body", "must be the push event's JSON");
      }
      if (ref !== `refs/heads/${git.ref}`)
        return skip(`a push to ${String(ref).slice(0, 200)}, not to ${git.ref}: not deployed`);
      const ctx: Ctx = { actor: systemActor("app.webhook"), grants: [], ip, requestId: null };
      const started = await k.transaction().execute(async (trx) => {
        const out = await apps().enqueueDeploy(trx, row, "webhook");
        await recordAudit(trx, ctx, {
          action: "app.deploy",
          targetType: "app",
          targetId: id,
          accountId: row.account_id,
          diff: { trigger: "webhook", delivery: h.delivery, ref },
        });
        return out;
      });
      return { deployed: true, deploymentId: started.deploymentId, reason: `a push to ${git.ref}` };
    },
  };

  function webhookOf(id: string, secret: string) {
    return {
      url: apps().webhookUrl(id),
      secret,
      contentType: "application/json" as const,
      events: ["push"],
    };
  }
}

export type GitAppsService = ReturnType<typeof createGitAppsService>;
