// The git side of the apps API (docs/apps.md, "From a git repository"): creating an app from a
// repository (an https token or a generated deploy key), the source as answered (never the
// token or the private key), the webhook's address and secret, and the webhook's answer.
import { z } from "zod";
import { domain, id } from "../validators.ts";
import { appEnvVar } from "./api.ts";
import { dockerfilePath, gitRef, gitToken, gitUrl } from "./git.ts";
import { appName, containerSpec } from "./names.ts";

export const appGitCreate = z.strictObject({
  account: id,
  node: id,
  /** default: the repository's name (`acme/shop.git` -> `shop`) */
  name: appName.optional(),
  git: z.strictObject({
    url: gitUrl,
    ref: gitRef.default("main"),
    dockerfile: dockerfilePath.default("Dockerfile"),
    /** https remotes: a token with read access (sealed; never answered) */
    token: gitToken.optional(),
  }),
  domain: domain.optional(),
  ...containerSpec.omit({ env: true, image: true }).shape,
  env: z.array(appEnvVar).max(200, "must have at most 200 variables").default([]),
});
export type AppGitCreate = z.infer<typeof appGitCreate>;

/** The webhook's address and secret (the app's admins; the secret is GitHub's "Secret"). */
export const appWebhook = z.object({
  url: z.string(),
  secret: z.string(),
  contentType: z.literal("application/json"),
  events: z.array(z.string()),
});

export const appWebhookResult = z.object({
  deployed: z.boolean(),
  /** the deploy's deployment id when one was started */
  deploymentId: z.string().nullable(),
  reason: z.string(),
});
