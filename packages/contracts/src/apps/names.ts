// What an app's container is made of, validated the same way on the panel, in the CLI and on
// the agent (its second wall before anything reaches the engine's API): image references,
// names, environment keys, ports, volumes, limits and the health check. Nothing here is ever
// put in a shell: the engine receives JSON, the health check an argv (`CMD`, never
// `CMD-SHELL`).
import { z } from "zod";
import { noControl } from "../validators.ts";

const component = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
/**
 * name[:tag] or name@sha256:<64 hex> (or both), with an optional registry host[:port] first:
 * the Docker reference grammar, lowercase path components, never a leading dash.
 */
export const imageRefPattern = new RegExp(
  `^(?:[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::[0-9]{1,5})?/)?${component}(?:/${component})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$`,
);

export const imageRef = z
  .string()
  .min(1, "must not be empty")
  .max(255, "must be at most 255 characters")
  .regex(imageRefPattern, "must be an image like name:tag or name@sha256:<digest>");

/** An app's (and its containers') name: what the engine calls the container. */
export const appNamePattern = /^[a-z0-9][a-z0-9-]{0,47}$/;
export const appName = z
  .string()
  .min(1, "must not be empty")
  .max(48, "must be at most 48 characters")
  .regex(
    appNamePattern,
    "must be lowercase letters, digits and dashes, starting with one of the first two",
  );

/** `excalidraw/excalidraw:latest` -> `excalidraw`: the image's last path component. */
export function nameFromImage(image: string): string {
  const withoutDigest = image.split("@")[0] ?? image;
  const last = withoutDigest.split("/").at(-1) ?? withoutDigest;
  const base = (last.split(":")[0] ?? last)
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return base || "app";
}

export const envKeyPattern = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
export const envKey = z
  .string()
  .regex(
    envKeyPattern,
    "must be letters, digits and _, not starting with a digit (no = or spaces)",
  );
export const envValue = z
  .string()
  .max(8192, "must be at most 8192 characters")
  .refine((s) => !s.includes("\u0000"), "must not contain NUL bytes");

export const containerPort = z
  .number({ error: "must be a number" })
  .int("must be an integer")
  .min(1, "must be between 1 and 65535")
  .max(65535, "must be between 1 and 65535");
/** Host ports an app may publish: unprivileged ones only (22, 80, 443 belong to the node). */
export const hostPort = z
  .number({ error: "must be a number" })
  .int("must be an integer")
  .min(1024, "must be between 1024 and 65535")
  .max(65535, "must be between 1024 and 65535");

export const portMapping = z.strictObject({
  container: containerPort,
  /** absent: the agent picks a free one */
  host: hostPort.optional(),
  protocol: z.enum(["tcp", "udp"]).default("tcp"),
});

/** A directory of the app's own directory on the node (`<appsRoot>/<app id>/<source>`). */
export const volumeSourcePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
export const containerPathPattern = /^(\/[A-Za-z0-9_.-]+)+$/;
export const volumeMount = z.strictObject({
  source: z
    .string()
    .regex(
      volumeSourcePattern,
      "must be a directory name (letters, digits, . _ -) inside the app's directory",
    )
    .refine(
      (s) => s !== "." && s !== ".." && !s.startsWith(".."),
      "must stay inside the app's directory",
    ),
  target: z
    .string()
    .max(255, "must be at most 255 characters")
    .regex(containerPathPattern, "must be an absolute path in the container")
    .refine(
      (s) => s.split("/").every((seg) => seg !== "." && seg !== ".."),
      "must not contain . or .. segments",
    ),
  readOnly: z.boolean().default(false),
});

export const restartPolicy = z.enum(["no", "always", "unless-stopped", "on-failure"]);

export const limits = z.strictObject({
  memoryMb: z.number().int().min(6, "must be at least 6").max(1_048_576).optional(),
  cpus: z.number().min(0.01, "must be at least 0.01").max(256).optional(),
});

const argvItem = z
  .string()
  .min(1, "must not be empty")
  .max(500, "must be at most 500 characters")
  .refine(noControl, "must not contain control characters or newlines");

/** Run in the container as an argv (`CMD`), never through a shell. */
export const healthCheck = z.strictObject({
  command: z.array(argvItem).min(1, "must name a program").max(20),
  intervalSeconds: z.number().int().min(1).max(3600).default(10),
  timeoutSeconds: z.number().int().min(1).max(600).default(5),
  retries: z.number().int().min(1).max(100).default(3),
  startSeconds: z.number().int().min(0).max(3600).default(0),
});

/** The container an app runs: everything a deploy needs but the names the agent resolves. */
export const containerSpec = z.strictObject({
  image: imageRef,
  env: z
    .record(envKey, envValue)
    .refine((r) => Object.keys(r).length <= 200, "must have at most 200 variables")
    .default({}),
  ports: z.array(portMapping).max(20, "must have at most 20 ports").default([]),
  volumes: z.array(volumeMount).max(20, "must have at most 20 volumes").default([]),
  restart: restartPolicy.default("unless-stopped"),
  limits: limits.default({}),
  command: z.array(argvItem).max(50).optional(),
  healthCheck: healthCheck.optional(),
});
export type ContainerSpec = z.infer<typeof containerSpec>;
