// The git build operations (docs/apps.md, "From a git repository"): container.build clones an
// app's repository at a branch, tag or commit under the node's outbound policy and builds its
// Dockerfile through the engine's /build (the build's output streamed into the task's log);
// container.retire removes an app's containers of every deployment but one (the switch of a
// zero-downtime redeploy). Credentials travel in the input and reach git only through its
// environment, never its arguments or the URL.
import { z } from "zod";
import { composeAllowance } from "../apps/compose.ts";
import { composeFilePath, dockerfilePath, gitRef, gitToken, gitUrl } from "../apps/git.ts";
import { imageRef } from "../apps/names.ts";
import { DEFAULT_POLICY, outboundPolicy } from "../net/policy.ts";
import { idPattern } from "../validators.ts";

const id = z.string().regex(idPattern, "must be an identifier");

export const containerBuildInput = z.strictObject({
  appId: id,
  deploymentId: id,
  url: gitUrl,
  ref: gitRef,
  dockerfile: dockerfilePath.default("Dockerfile"),
  /** the tag the built image gets (localhost/steward/<app>:<deployment>) */
  image: imageRef,
  /** https remotes: a token, sent as an HTTP header through git's environment */
  token: gitToken.optional(),
  /** ssh remotes: the app's deploy key (OpenSSH private key), written 0600 for the clone only */
  privateKey: z.string().max(10_000).optional(),
  /** the node's outbound policy for the repository's host (the strictest when absent) */
  outbound: outboundPolicy.default(DEFAULT_POLICY),
});
export type ContainerBuildInput = z.infer<typeof containerBuildInput>;

export const containerBuildOutput = z.object({
  /** the commit built (40 hex) */
  commit: z.string(),
  /** the engine's image id (sha256:...) */
  imageId: z.string(),
  image: z.string(),
});

/**
 * compose.build: the repository cloned as container.build clones it, its compose file checked
 * (the contracts' checkCompose with the app's variables and what the node allows), each
 * service with `build:` built through the engine (tagged per app, service and deployment) and
 * the file answered with those services running their built images.
 */
export const composeBuildInput = containerBuildInput
  .omit({ dockerfile: true, image: true })
  .extend({
    /** the compose file's path in the repository */
    compose: composeFilePath,
    /** the app's variables (secret ones opened) for `${VAR}` */
    env: z.record(z.string(), z.string()).default({}),
    /** what a super user allowed on this node */
    allow: z.array(composeAllowance).max(20).default([]),
  });
export type ComposeBuildInput = z.infer<typeof composeBuildInput>;

export const composeBuildOutput = z.object({
  /** the commit built (40 hex) */
  commit: z.string(),
  /** the compose file as the repository has it (`${VAR}` unresolved) */
  source: z.string(),
  /** the file compose.up runs: resolved, `$` doubled, built services on their images */
  file: z.string(),
  built: z.array(z.object({ service: z.string(), image: z.string(), imageId: z.string() })),
});

export const containerRetireInput = z.strictObject({
  appId: id,
  /** the deployment whose containers stay */
  keep: id,
});
export const containerRetireOutput = z.object({
  removed: z.array(z.object({ id: z.string(), name: z.string() })),
});
