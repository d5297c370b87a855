// Steward's own backup (issue 15): `steward backup export` / `import` on the panel's machine.
// What the CLI takes, checked before anything is read or written: the recipient's public key,
// the files and directories (no control characters, no "." or ".." segment; the artifact's own
// name follows the rule of every artifact's name) and the identity file holding a private key.
import { z } from "zod";
import { noControl } from "../validators.ts";
import { artifactName } from "./destinations.ts";
import { recipientPrivateKey } from "./restore.ts";

/** A recipient's raw 32-byte X25519 public key in base64 (keys.ts generateRecipient). */
export const recipientPublicKey = z
  .string()
  .max(64, "must be at most 64 characters")
  .regex(/^[A-Za-z0-9+/]{43}=$/, "must be a 32-byte X25519 public key in base64")
  .refine((s) => Buffer.from(s, "base64").length === 32, "must hold 32 bytes");

/** A file or directory on this machine, absolute or relative to the working directory. */
export const localPath = z
  .string()
  .min(1, "must not be empty")
  .max(1024, "must be at most 1024 characters")
  .refine(noControl, "must not contain control characters, NUL or newlines")
  .refine(
    (s) => s.split("/").every((seg) => seg !== "." && seg !== ".."),
    'must not have "." or ".." segments',
  );

/** An artifact's file: a local path whose last segment is an artifact's name. */
export const artifactFile = localPath.refine(
  (s) => artifactName.safeParse(s.slice(s.lastIndexOf("/") + 1)).success,
  "must end in a file name of letters, digits, . _ + -, starting with a letter or digit",
);

/** `-`: the artifact on standard output, its sidecar in the file `meta` names. */
export const STDOUT = "-";

export const selfExportInput = z
  .strictObject({
    recipient: recipientPublicKey,
    out: z.union([z.literal(STDOUT), artifactFile], {
      error: (issue) =>
        issue.code === "invalid_union"
          ? (issue.errors.at(-1)?.[0]?.message ?? "invalid")
          : undefined,
    }),
    /** the sidecar's file when the artifact goes to standard output */
    meta: localPath.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.out === STDOUT && v.meta === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["meta"],
        message: "is required with --out - (the sidecar cannot share standard output)",
      });
    if (v.out !== STDOUT && v.meta !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["meta"],
        message: "only with --out - (a file's sidecar is written beside it as FILE.meta.json)",
      });
  });
export type SelfExportInput = z.output<typeof selfExportInput>;

export const selfImportInput = z.strictObject({
  file: artifactFile,
  identity: localPath,
  dataDir: localPath.optional(),
  force: z.boolean().default(false),
});
export type SelfImportInput = z.output<typeof selfImportInput>;

/** The content of an identity file: one private key (PKCS#8 DER, base64), whitespace around. */
export const identityContent = z.preprocess(
  (s) => (typeof s === "string" ? s.trim() : s),
  recipientPrivateKey,
);

/**
 * The plain stream inside a Steward export (before zstd and encryption): `STWSELF1\n`, a 4-byte
 * big-endian length, this manifest in JSON, each member's bytes in order, then the database
 * (SQLite file or `pg_dump --format=custom`) to the end of the stream.
 */
export const selfManifest = z.strictObject({
  v: z.literal(1),
  engine: z.enum(["sqlite", "postgres"]),
  /** the database's producer: SQLite's version, pg_dump's --version line */
  producer: z.string().max(200),
  members: z
    .array(
      z.strictObject({
        name: z.enum(["master.key", "steward.json"]),
        bytes: z
          .number()
          .int()
          .nonnegative()
          .max(1024 * 1024),
      }),
    )
    .max(2),
});
export type SelfManifest = z.output<typeof selfManifest>;
