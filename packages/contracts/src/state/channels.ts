// Notification channels as files (`channel/<account>--<name>.yaml`; an installation channel's
// `channel/<name>.yaml`), with the channel API's own validators. Each secret field of a kind
// (a bot token, a webhook URL with its key, a password) is never exported (the panel never
// answers it): the file names the secret apply takes it from, `channel/<file name>/<field>`.
import { z } from "zod";
import { channelName } from "../notifications/api.ts";
import { type ChannelKind, channelSettings, SECRET_FIELDS } from "../notifications/channels.ts";
import { slug } from "../validators.ts";
import { scopedFileName, secretRef } from "./names.ts";

/** The name of a channel's secret: `channel/shop--alerts/botToken`. */
export const channelSecret = (fileName: string, field: string) => `channel/${fileName}/${field}`;

/** Each kind's settings with its secret fields as `{secret: NAME}`. */
const settingsFile = z.discriminatedUnion(
  "kind",
  channelSettings.options.map((o) => {
    const shape = o.shape as Record<string, z.ZodType>;
    const secret = (field: string) =>
      shape[field]?.isOptional() ? secretRef.optional() : secretRef;
    const fields: readonly string[] = SECRET_FIELDS[o.shape.kind.value as ChannelKind];
    return o.safeExtend(Object.fromEntries(fields.map((f) => [f, secret(f)])));
  }) as unknown as [typeof secretRef],
  { error: `must be one of ${channelSettings.options.map((o) => o.shape.kind.value).join(", ")}` },
);

export interface ChannelFile {
  name: string;
  /** null: an installation channel */
  account: string | null;
  enabled: boolean;
  settings: { kind: ChannelKind } & Record<string, unknown>;
}

export const channelFile: z.ZodType<ChannelFile> = z
  .strictObject({
    name: channelName,
    account: slug.nullable().default(null),
    enabled: z.boolean().default(true),
    settings: settingsFile,
  })
  .superRefine((c, ctx) => {
    const settings = c.settings as unknown as ChannelFile["settings"];
    for (const field of SECRET_FIELDS[settings.kind]) {
      const ref = settings[field] as { secret: string } | undefined;
      const want = channelSecret(scopedFileName(c), field);
      if (ref && ref.secret !== want)
        ctx.addIssue({
          code: "custom",
          path: ["settings", field, "secret"],
          message: `must be { secret: ${want} }`,
        });
    }
  }) as unknown as z.ZodType<ChannelFile>;
