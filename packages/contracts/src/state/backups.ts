// Backup destinations as files (`backup-destination/<account>--<name>.yaml`; a shared one's
// `backup-destination/<name>.yaml`), with the destination API's own validators. A node's
// directory names its node by name; each secret field that is set (an S3 secret key, an SFTP
// password, key or passphrase, an FTP password) is never exported (the panel never answers
// it): the file names the secret apply takes it from, `backup-destination/<file>/<field>`.
import { z } from "zod";
import { nodeName } from "../api/nodes.ts";
import {
  type DestinationKind,
  destinationSecrets,
  destinationSettings,
  localDestinationSettings,
} from "../backups/destinations.ts";
import { label, slug } from "../validators.ts";
import { scopedFileName, secretRef } from "./names.ts";

/** The name of a destination's secret: `backup-destination/shop--offsite/password`. */
export const destinationSecret = (fileName: string, field: string) =>
  `backup-destination/${fileName}/${field}`;

/** Each kind's settings: a node by name, the secret fields as `{secret: NAME}`. */
const settingsFile = z.discriminatedUnion(
  "kind",
  destinationSettings.options.map((o) => {
    if (o.shape.kind.value === "local")
      return localDestinationSettings.omit({ nodeId: true }).extend({ node: nodeName });
    const shape = o.shape as Record<string, z.ZodType>;
    const fields = destinationSecrets[o.shape.kind.value as DestinationKind];
    return o.safeExtend(
      Object.fromEntries(
        fields.map((f) => [f, shape[f]?.isOptional() ? secretRef.optional() : secretRef]),
      ),
    );
  }) as unknown as [typeof localDestinationSettings],
  { error: "must be local, s3, sftp or ftp" },
);

export interface DestinationFile {
  name: string;
  /** null: a shared destination */
  account: string | null;
  settings: { kind: DestinationKind } & Record<string, unknown>;
}

export const destinationFile: z.ZodType<DestinationFile> = z
  .strictObject({
    name: label(100),
    account: slug.nullable().default(null),
    settings: settingsFile,
  })
  .superRefine((d, ctx) => {
    const settings = d.settings as unknown as DestinationFile["settings"];
    if (settings.kind === "sftp" && !settings.password && !settings.privateKey)
      ctx.addIssue({
        code: "custom",
        path: ["settings", "password"],
        message: "give a password or a privateKey",
      });
    for (const field of destinationSecrets[settings.kind]) {
      const ref = settings[field] as { secret: string } | undefined;
      const want = destinationSecret(scopedFileName(d), field);
      if (ref && ref.secret !== want)
        ctx.addIssue({
          code: "custom",
          path: ["settings", field, "secret"],
          message: `must be { secret: ${want} }`,
        });
    }
  }) as unknown as z.ZodType<DestinationFile>;
