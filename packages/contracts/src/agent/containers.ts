// The container operations (docs/apps.md): an app's containers carry the label
// `steward.app=<app id>` (and `steward.deployment=<deployment id>`); every operation on an app
// finds its containers by that label, never by a name the caller sends.
import { z } from "zod";
import { appName, containerSpec, volumeMount } from "../apps/names.ts";
import { idPattern } from "../validators.ts";

const appId = z.string().regex(idPattern, "must be an identifier");

export const containerDeployInput = z.strictObject({
  appId,
  deploymentId: appId,
  /** the name wanted; taken by another container -> name-2, name-3... */
  name: appName,
  spec: containerSpec,
  /** how long to wait for the health check (or for running, without one) */
  waitSeconds: z.number().int().min(1).max(900).default(120),
});

export const publishedPort = z.object({
  container: z.number().int(),
  host: z.number().int(),
  protocol: z.enum(["tcp", "udp"]),
});

export const containerInfo = z.object({
  id: z.string(),
  name: z.string(),
  appId: z.string().nullable(),
  deploymentId: z.string().nullable(),
  /** a compose stack's service (its `com.docker.compose.service` label); null otherwise */
  service: z.string().nullable().default(null),
  image: z.string(),
  /** created, running, paused, restarting, exited, dead... as the engine says */
  state: z.string(),
  status: z.string(),
  /** healthy, unhealthy, starting; null without a health check */
  health: z.string().nullable(),
  ports: z.array(publishedPort),
  createdAt: z.string(),
});
export type ContainerInfo = z.infer<typeof containerInfo>;

export const containerDeployOutput = z.object({
  container: containerInfo,
  /** the engine's id of the image the container runs */
  imageId: z.string().nullable().optional(),
});

export const containerActionInput = z.strictObject({
  appId,
  action: z.enum(["start", "stop", "restart", "remove"]),
  /** remove only: the app's directories (its volumes) and the containers' anonymous volumes too */
  volumes: z.boolean().default(false),
  /** remove only: the volume sources of the app's spec (what the confirmation named) */
  volumeSources: z.array(volumeMount.shape.source).max(20).default([]),
});
export const containerActionOutput = z.object({
  containers: z.array(z.object({ id: z.string(), name: z.string() })),
  volumesRemoved: z.array(z.string()),
});

export const containerListInput = z.strictObject({ appId: appId.optional() });
export const containerListOutput = z.object({ containers: z.array(containerInfo) });

export const containerLogsInput = z.strictObject({
  appId,
  /** unix seconds: lines from then on */
  since: z.number().int().min(0).default(0),
  tail: z.number().int().min(1).max(5000).default(200),
});
export const logLine = z.object({
  container: z.string(),
  stream: z.enum(["stdout", "stderr"]),
  at: z.string(),
  text: z.string(),
});
export const containerLogsOutput = z.object({ lines: z.array(logLine) });

export const containerStatsInput = z.strictObject({ appId: appId.optional() });
export const containerStat = z.object({
  id: z.string(),
  name: z.string(),
  appId: z.string().nullable(),
  cpuPercent: z.number(),
  memoryBytes: z.number(),
  memoryLimitBytes: z.number(),
  netRxBytes: z.number(),
  netTxBytes: z.number(),
});
export const containerStatsOutput = z.object({ at: z.string(), stats: z.array(containerStat) });

const usage = z.object({ count: z.number(), bytes: z.number(), reclaimableBytes: z.number() });
export const engineDiskUsageOutput = z.object({
  images: usage,
  containers: usage,
  volumes: usage,
  buildCache: usage,
});
export type EngineDiskUsage = z.infer<typeof engineDiskUsageOutput>;

export const pruneTargets = z.strictObject({
  containers: z.boolean().default(false),
  images: z.boolean().default(false),
  volumes: z.boolean().default(false),
  buildCache: z.boolean().default(false),
});
export const enginePruneOutput = z.object({
  bytesFreed: z.number(),
  removed: z.object({
    containers: z.number(),
    images: z.number(),
    volumes: z.number(),
    buildCache: z.number(),
  }),
});
