// The compose operations (docs/apps.md, "Compose stacks"): the node writes an app's compose
// file into the app's directory and runs docker-compose against its engine's socket, the
// project named after the app. Its containers carry `steward.app=<app id>` (the file is
// labelled on the node), so listing, logs and stats are the container operations'.
import { z } from "zod";
import { composeAllowance, composeText } from "../apps/compose.ts";
import { appName } from "../apps/names.ts";
import { idPattern } from "../validators.ts";
import { containerInfo } from "./containers.ts";

const appId = z.string().regex(idPattern, "must be an identifier");

export const composeUpInput = z.strictObject({
  appId,
  /** the compose project: the app's name */
  project: appName,
  /** the file with `${VAR}` resolved and `$` doubled (checked again on the node) */
  file: composeText,
  /** what a super user allowed on this node */
  allow: z.array(composeAllowance).max(20).default([]),
  /** how long to wait for every container to run (and be healthy, with a health check) */
  waitSeconds: z.number().int().min(1).max(900).default(180),
});
export const composeUpOutput = z.object({
  containers: z.array(containerInfo),
  /** the engine's names of its named volumes (<project>_<name>) */
  volumes: z.array(z.string()),
});

export const composeDownInput = z.strictObject({
  appId,
  project: appName,
  /** also its named and anonymous volumes and the app's directory */
  volumes: z.boolean().default(false),
});
export const composeDownOutput = z.object({
  containers: z.array(z.string()),
  volumesRemoved: z.array(z.string()),
});

export const composeActionInput = z.strictObject({
  appId,
  project: appName,
  action: z.enum(["start", "stop", "restart"]),
});
export const composeActionOutput = z.object({ containers: z.array(containerInfo) });
