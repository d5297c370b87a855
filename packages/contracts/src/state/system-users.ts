// System users as files (`system-user/<node>--<name>.yaml`: a name is unique on its node),
// with the system users API's own validators: the account's main user or a secondary user
// with its home, what it may do over SSH, FTP, its public keys. A password is never exported
// (the panel keeps only its hash): the file names the secret apply takes it from,
// `system-user/<file name>/password`.
import { z } from "zod";
import { nodeName } from "../api/nodes.ts";
import {
  homePath,
  mainUserName,
  shellAccess,
  sshPublicKeys,
  sysUserName,
  sysUserQuotaMb,
} from "../hosting/names.ts";
import { slug } from "../validators.ts";
import { secretRef } from "./names.ts";

/** `web-1--shop`: the node and the user's name. */
export const systemUserName = (u: { node: string; name: string }) => `${u.node}--${u.name}`;

/** The name of a system user's password secret: `system-user/web-1--shop/password`. */
export const systemUserSecret = (fileName: string) => `system-user/${fileName}/password`;

const access = {
  account: slug,
  node: nodeName,
  shell: shellAccess.default("sftp"),
  ftp: z.boolean().default(false),
  keys: sshPublicKeys.default([]),
  /** absent: keys only */
  password: secretRef.optional(),
  /** the disk quota in MiB where the node's filesystem has user quotas; absent: none */
  quotaMb: sysUserQuotaMb
    .refine((n) => n > 0, "must be more than 0 (leave it out: none)")
    .optional(),
};

export const systemUserFile = z
  .discriminatedUnion(
    "kind",
    [
      z.strictObject({ kind: z.literal("main"), name: mainUserName, ...access }),
      z.strictObject({
        kind: z.literal("secondary"),
        name: sysUserName,
        home: homePath,
        ...access,
      }),
    ],
    { error: "must be main or secondary" },
  )
  .superRefine((u, ctx) => {
    const want = systemUserSecret(systemUserName(u));
    if (u.password && u.password.secret !== want)
      ctx.addIssue({
        code: "custom",
        path: ["password", "secret"],
        message: `must be { secret: ${want} }`,
      });
    if (u.ftp && !u.password)
      ctx.addIssue({
        code: "custom",
        path: ["password"],
        message: "FTP needs a password (FTP logins cannot use keys)",
      });
  });
export type SystemUserFile = z.infer<typeof systemUserFile>;
