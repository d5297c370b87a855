// Apps as files (`app/<node>--<name>.yaml`: an app's name is unique on its node), with the
// apps API's own validators, by source: a quick service from an `image`, one built from a
// `git` repository (its Dockerfile, or a compose file of it: `git.compose`), or a `compose`
// stack with its file. A secret variable's value is never
// exported (the panel keeps it sealed and never answers it): the file names the secret apply
// takes it from, `app/<file name>/env/<KEY>`; a git token likewise, `app/<file name>/git-token`.
import { z } from "zod";
import { nodeName } from "../api/nodes.ts";
import { COMPOSE_ALLOWANCES, checkCompose, composeText } from "../apps/compose.ts";
import { composeFilePath, dockerfilePath, gitRef, gitUrl } from "../apps/git.ts";
import { appName, containerSpec, envKey, envValue } from "../apps/names.ts";
import { domain, slug } from "../validators.ts";
import { secretRef } from "./names.ts";

/** `web-1--whoami`: the node and the app's name. */
export const appFileName = (a: { node: string; name: string }) => `${a.node}--${a.name}`;

/** The name of one of an app's secrets: `app/web-1--shop/env/APP_KEY`, `app/web-1--shop/git-token`. */
export const appSecret = (fileName: string, what: string) => `app/${fileName}/${what}`;

const common = {
  name: appName,
  account: slug,
  node: nodeName,
  /** each variable's value, or `{secret: app/<file name>/env/<KEY>}` for a secret one */
  env: z
    .record(z.string(), z.union([envValue, secretRef]))
    .superRefine((r, ctx) => {
      if (Object.keys(r).length > 200)
        ctx.addIssue({ code: "custom", message: "must have at most 200 variables" });
      for (const key of Object.keys(r)) {
        const bad = envKey.safeParse(key).error?.issues[0];
        if (bad) ctx.addIssue({ code: "custom", path: [key], message: `name ${bad.message}` });
      }
    })
    .default({}),
};

/** What a container app runs with (an image's or a repository's build). */
const container = {
  ...containerSpec.omit({ env: true, image: true }).shape,
  /** served by a proxy site at this name, made by the panel with the app (never a site file) */
  domain: domain.nullable().default(null),
};

const variants = [
  z.strictObject({
    source: z.literal("image"),
    ...common,
    image: containerSpec.shape.image,
    ...container,
  }),
  z.strictObject({
    source: z.literal("git"),
    ...common,
    git: z.strictObject({
      url: gitUrl,
      ref: gitRef,
      /** the Dockerfile built; or `compose` */
      dockerfile: dockerfilePath.optional(),
      /** the repository's compose file: the app is that stack */
      compose: composeFilePath.optional(),
      /** an https remote's token; absent: a public remote, or ssh with the app's deploy key */
      token: secretRef.optional(),
    }),
    ...container,
  }),
  z.strictObject({ source: z.literal("compose"), ...common, compose: composeText }),
] as const;

export const appFile = z
  .discriminatedUnion("source", variants, { error: "must be image, git or compose" })
  .superRefine((a, ctx) => {
    const file = appFileName(a);
    for (const [key, value] of Object.entries(a.env))
      if (typeof value !== "string" && value.secret !== appSecret(file, `env/${key}`))
        ctx.addIssue({
          code: "custom",
          path: ["env", key, "secret"],
          message: `must be { secret: ${appSecret(file, `env/${key}`)} }`,
        });
    if (a.source === "git" && a.git.token && a.git.token.secret !== appSecret(file, "git-token"))
      ctx.addIssue({
        code: "custom",
        path: ["git", "token", "secret"],
        message: `must be { secret: ${appSecret(file, "git-token")} }`,
      });
    if (a.source === "git" && a.git.dockerfile !== undefined && a.git.compose !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["git", "compose"],
        message: "give either a Dockerfile or a compose file, not both",
      });
    if (a.source === "compose") {
      // the node's allowances are the panel's to judge: here every rule but those
      const env = Object.fromEntries(Object.keys(a.env).map((k) => [k, "x"]));
      const checked = checkCompose(a.compose, { env, allow: COMPOSE_ALLOWANCES });
      if (!checked.ok)
        for (const issue of checked.issues.slice(0, 1))
          ctx.addIssue({
            code: "custom",
            path: ["compose"],
            message: `${issue.path}: ${issue.message}`,
          });
    }
  });
export type AppFile = z.infer<typeof appFile>;
