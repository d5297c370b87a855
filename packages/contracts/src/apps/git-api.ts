// The git side of the apps API (docs/apps.md, "From a git repository"): creating an app from a
// repository (an https token or a generated deploy key), the source as answered (never the
// token or the private key), the webhook's address and secret, and the webhook's answer.
import { z } from "zod";
import { domain, id } from "../validators.ts";
import { appEnvVar } from "./api.ts";
import { SERVICE_NAME } from "./compose-rules.ts";
import { composeFilePath, dockerfilePath, gitRef, gitToken, gitUrl } from "./git.ts";
import { appName, containerSpec } from "./names.ts";

export const appGitCreate = z
  .strictObject({
    account: id,
    node: id,
    /** default: the repository's name (`acme/shop.git` -> `shop`) */
    name: appName.optional(),
    git: z
      .strictObject({
        url: gitUrl,
        ref: gitRef.default("main"),
        /** the Dockerfile built (default `Dockerfile`); or `compose` */
        dockerfile: dockerfilePath.optional(),
        /** a compose file of the repository: the app is that stack (its `build:` services built) */
        compose: composeFilePath.optional(),
        /** https remotes: a token with read access (sealed; never answered) */
        token: gitToken.optional(),
      })
      .refine((g) => g.dockerfile === undefined || g.compose === undefined, {
        message: "give either a Dockerfile or a compose file, not both",
        path: ["compose"],
      }),
    domain: domain.optional(),
    /** compose: the service the site proxies to; default: the first publishing a TCP port */
    ingressService: z.string().regex(SERVICE_NAME, "must be a service name of the file").optional(),
    ...containerSpec.omit({ env: true, image: true }).shape,
    env: z.array(appEnvVar).max(200, "must have at most 200 variables").default([]),
  })
  .superRefine((b, ctx) => {
    const compose = b.git.compose !== undefined;
    if (b.ingressService !== undefined && !(compose && b.domain !== undefined))
      ctx.addIssue({
        code: "custom",
        path: ["ingressService"],
        message: "is for a compose file with a domain (the site that proxies to it)",
      });
    if (!compose) return;
    // the compose file says what runs: the container's own fields do not apply
    for (const key of ["ports", "volumes", "command", "healthCheck"] as const) {
      const v = b[key];
      if (v !== undefined && (!Array.isArray(v) || v.length > 0))
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "is the compose file's to say: not given with git.compose",
        });
    }
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
