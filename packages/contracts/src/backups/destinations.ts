// Backup destinations (issue 15): where artifacts go. One strict schema per kind, told apart by
// `kind`, every error naming its field (settings.bucket, settings.host…). Hosts and endpoints
// are judged like every outbound target (net/target.ts); whether the policy lets a tenant reach
// them is the panel's decision at input and the agent's at connect time.
import { z } from "zod";
import { caPem } from "../databases/settings.ts";
import { host } from "../monitors/settings.ts";
import { targetUrl } from "../notifications/channels.ts";
import { id, noControl, port } from "../validators.ts";

export const destinationKinds = ["local", "s3", "sftp", "ftp"] as const;
export type DestinationKind = (typeof destinationKinds)[number];

const line = (max: number) =>
  z
    .string()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine(noControl, "must not contain control characters or newlines");

const secret = (max: number) =>
  z
    .string()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes("\u0000"), "must not contain NUL bytes");

const SEGMENT = /^[A-Za-z0-9._@+-]+$/;
const segments = (s: string) => s.split("/").filter((seg) => seg !== "");
const safeSegments = (s: string) =>
  segments(s).every((seg) => SEGMENT.test(seg) && seg !== "." && seg !== "..");

/** An absolute directory: /segment/segment…, safe characters, no "." or ".." segment. */
export const absoluteDir = z
  .string()
  .min(1, "must not be empty")
  .max(1024, "must be at most 1024 characters")
  .refine((s) => s.startsWith("/"), "must be an absolute path like /var/backups/steward")
  .refine(safeSegments, "must be segments of letters, digits, . _ @ + - (no . or .. segments)");

/** A directory under a remote user's root (SFTP, FTP): like absoluteDir, "/" or "" allowed. */
export const remoteDir = z
  .string()
  .max(1024, "must be at most 1024 characters")
  .refine(safeSegments, "must be segments of letters, digits, . _ @ + - (no . or .. segments)")
  .default("");

/** An S3 bucket name (the general-purpose rules: 3–63 lowercase letters, digits, - and .). */
export const bucketName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    "must be 3 to 63 lowercase letters, digits, . and -, starting and ending with a letter or digit",
  )
  .refine(
    (s) => !s.includes("..") && !/^\d+\.\d+\.\d+\.\d+$/.test(s),
    "must not look like an IP address or hold ..",
  );

/** The name of an artifact on a destination: a file name, no directory. */
export const artifactName = z
  .string()
  .min(1, "must not be empty")
  .max(200, "must be at most 200 characters")
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._+-]*$/,
    "must be letters, digits, . _ + -, starting with a letter or digit",
  );

/** An SSH host key pinned by its SHA-256 fingerprint, as `ssh-keygen -l` prints it. */
export const hostKeyFingerprint = z
  .string()
  .regex(
    /^SHA256:[A-Za-z0-9+/]{43}$/,
    "must be a SHA-256 fingerprint like SHA256:… (ssh-keygen -lf)",
  );

/** A directory on a node (tested and written by the node's agent). */
export const localDestinationSettings = z.strictObject({
  kind: z.literal("local"),
  /** the node whose directory it is */
  nodeId: id,
  path: absoluteDir,
});

const s3 = z.strictObject({
  kind: z.literal("s3"),
  /** http(s)://host[:port]; empty for AWS itself is not offered: name the endpoint */
  endpoint: targetUrl,
  region: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, "must be a region name like us-east-1")
    .default("us-east-1"),
  bucket: bucketName,
  prefix: remoteDir,
  forcePathStyle: z.boolean().default(true),
  accessKeyId: line(128),
  secretAccessKey: secret(256),
});

const sftp = z.strictObject({
  kind: z.literal("sftp"),
  host,
  port: port.default(22),
  username: line(64),
  /** a password, or a private key (OpenSSH PEM), or both; the password is one line (ssh reads it so) */
  password: secret(1024)
    .refine((s) => !/[\r\n]/.test(s), "must be one line (no newline)")
    .optional(),
  privateKey: secret(16384).optional(),
  /** what opens an encrypted privateKey (ssh-keygen -p); one line */
  passphrase: secret(1024)
    .refine((s) => !/[\r\n]/.test(s), "must be one line (no newline)")
    .optional(),
  hostKey: hostKeyFingerprint,
  path: remoteDir,
});

const ftp = z.strictObject({
  kind: z.literal("ftp"),
  host,
  port: port.default(21),
  username: line(64),
  password: secret(1024),
  /** none: plain FTP; explicit: AUTH TLS on the control port; implicit: TLS from the start */
  tls: z.enum(["none", "explicit", "implicit"]).default("explicit"),
  /** a CA certificate (PEM) the FTPS server's certificate may chain to, besides the system's */
  ca: caPem.optional(),
  path: remoteDir,
});

export const destinationSettings = z
  .discriminatedUnion("kind", [localDestinationSettings, s3, sftp, ftp], {
    error: "must be local, s3, sftp or ftp",
  })
  .superRefine((value, ctx) => {
    if (value.kind === "sftp" && !value.password && !value.privateKey)
      ctx.addIssue({
        code: "custom",
        path: ["password"],
        message: "give a password or a privateKey",
      });
    if (value.kind === "sftp" && value.passphrase !== undefined && !value.privateKey)
      ctx.addIssue({
        code: "custom",
        path: ["passphrase"],
        message: "only with a privateKey (it opens an encrypted key)",
      });
  });
export type DestinationSettings = z.output<typeof destinationSettings>;
export type DestinationSettingsOf<K extends DestinationKind> = Extract<
  DestinationSettings,
  { kind: K }
>;

/** The fields of each kind that are sealed at rest and never answered. */
export const destinationSecrets: Record<DestinationKind, readonly string[]> = {
  local: [],
  s3: ["secretAccessKey"],
  sftp: ["password", "privateKey", "passphrase"],
  ftp: ["password"],
};
