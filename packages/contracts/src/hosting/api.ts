// The system users API (docs/hosting.md): `/api/v1/system-users`, one resource for SSH/SFTP
// and FTP (a user's `shell` and `ftp` say what it may use). Passwords are write-only: the
// panel keeps their SHA-512 crypt hash, answers say only whether one is set.
import { z } from "zod";
import { id } from "../validators.ts";
import {
  homePath,
  mainUserName,
  shellAccess,
  sshPublicKeys,
  sysUserName,
  sysUserPassword,
  sysUserQuotaMb,
} from "./names.ts";

const access = {
  shell: shellAccess.default("sftp"),
  ftp: z.boolean().default(false),
  keys: sshPublicKeys.default([]),
  password: sysUserPassword.optional(),
  /** disk quota in MiB where the home's filesystem has user quotas; null or 0: no limit */
  quotaMb: sysUserQuotaMb.nullable().optional(),
};

export const sysUserCreate = z.discriminatedUnion("kind", [
  /** the account's main user on a node (one per account and node): owns the files */
  z.strictObject({ kind: z.literal("main"), account: id, node: id, name: mainUserName, ...access }),
  /** another login of the account on the node, its home inside the account's home */
  z.strictObject({
    kind: z.literal("secondary"),
    account: id,
    node: id,
    name: sysUserName,
    home: homePath,
    ...access,
  }),
]);
export type SysUserCreate = z.infer<typeof sysUserCreate>;

export const sysUserUpdate = z
  .strictObject({
    shell: shellAccess.optional(),
    ftp: z.boolean().optional(),
    keys: sshPublicKeys.optional(),
    /** a new password; null removes it (keys only) */
    password: sysUserPassword.nullable().optional(),
    /** the disk quota in MiB; null or 0 removes it */
    quotaMb: sysUserQuotaMb.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, "must change something");
export type SysUserUpdate = z.infer<typeof sysUserUpdate>;

export const sysUserListQuery = z.strictObject({ account: id });

export const sysUserDeleteQuery = z.strictObject({
  /** the user's name, again */
  confirm: z.string().max(64),
  /** a main user only: delete the account's files on the node too */
  deleteFiles: z
    .enum(["true", "false"])
    .default("false")
    .transform((s) => s === "true"),
});

export const sysUserStatus = z.enum(["pending", "applied", "failed", "deleting"]);

export const sysUserKey = z.object({ type: z.string(), comment: z.string(), line: z.string() });

/** What the CLI and the console say of a quota the node cannot enforce (quotaEnforced: false). */
export const QUOTA_NOT_ENFORCED =
  "the filesystem of this home has no user quotas: usage is measured only";

export const sysUser = z.object({
  id: z.string(),
  accountId: z.string(),
  nodeId: z.string(),
  kind: z.enum(["main", "secondary"]),
  name: z.string(),
  /** the main user's CGI user (runs PHP; null for secondary users) */
  cgiUser: z.string().nullable(),
  shell: shellAccess,
  ftp: z.boolean(),
  keys: z.array(sysUserKey),
  hasPassword: z.boolean(),
  /** relative to the account's home ("" for the main user) */
  home: z.string(),
  /** disk quota in MiB asked of the node; null: no limit */
  quotaMb: z.number().nullable(),
  /**
   * whether the node enforces quotaMb: false when the filesystem of the home has no user
   * quotas (usage is measured only); null: no limit, or the node has not answered yet
   */
  quotaEnforced: z.boolean().nullable(),
  status: sysUserStatus,
  lastError: z.string().nullable(),
  taskId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SysUser = z.infer<typeof sysUser>;
