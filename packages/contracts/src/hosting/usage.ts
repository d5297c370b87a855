// sysusers.usage (issue 19, docs/hosting.md#disk-usage): what an account's system users hold
// on the node. The agent walks each user's home (lstat only: symlinks are counted, never
// followed; a hard-linked file once), stops at a file-count limit and says so, and reports the
// user quota of the home's filesystem when it has user quotas on (nothing is enforced without).
import { z } from "zod";
import { sysUser } from "./api.ts";
import { mainUserName, sysUserName } from "./names.ts";

export const USAGE_MAX_FILES = 200_000;

export const sysUsersUsageInput = z.strictObject({
  /** the account's main user: every user given must carry its mark (steward/<main>) */
  main: mainUserName,
  /** the users to measure (the main user included when wanted) */
  users: z.array(sysUserName).min(1).max(200),
  /** files (and directories) counted per user before the walk stops (truncated) */
  maxFiles: z.number().int().min(1).max(5_000_000).default(USAGE_MAX_FILES),
});
export type SysUsersUsageInput = z.infer<typeof sysUsersUsageInput>;

/** A user's quota on the home's filesystem (repquota's figures; bytes from its 1 KiB blocks). */
export const userQuota = z.object({
  bytes: z.number(),
  bytesSoft: z.number(),
  bytesHard: z.number(),
  files: z.number(),
  filesSoft: z.number(),
  filesHard: z.number(),
});
export type UserQuota = z.infer<typeof userQuota>;

export const sysUserUsage = z.object({
  name: z.string(),
  /** the home walked; null: the node has no such user of this account (nothing measured) */
  home: z.string().nullable(),
  /** bytes on disk (allocated blocks, as du) of the files, directories and links under home */
  bytes: z.number(),
  files: z.number(),
  /** the walk stopped at maxFiles: bytes and files are at least these */
  truncated: z.boolean(),
  /** null: the home's filesystem has no user quotas on */
  quota: userQuota.nullable(),
});
export type SysUserUsage = z.infer<typeof sysUserUsage>;

export const sysUsersUsageOutput = z.object({
  users: z.array(sysUserUsage),
  /** whether the filesystem of the account's homes has user quotas on */
  quotas: z.boolean(),
  notes: z.array(z.string()),
});
export type SysUsersUsageOutput = z.infer<typeof sysUsersUsageOutput>;

/** A system user's usage as last measured by the panel's sysusers.usage task. */
export const sysUserUsageFigures = z.object({
  bytes: z.number(),
  files: z.number(),
  measuredAt: z.string(),
  /** the walk stopped at its file limit: at least these */
  truncated: z.boolean(),
});
export type SysUserUsageFigures = z.infer<typeof sysUserUsageFigures>;

/** GET /api/v1/accounts/{id}/disk-usage: the account's total and each system user's figures. */
export const accountDiskUsage = z.object({
  accountId: z.string(),
  /** the sum of the main users' homes (each holds its node's secondary users' homes) */
  bytes: z.number(),
  files: z.number(),
  /** the oldest measurement in the sum (null: nothing measured yet) */
  measuredAt: z.string().nullable(),
  truncated: z.boolean(),
  users: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      nodeId: z.string(),
      kind: z.enum(["main", "secondary"]),
      usage: sysUserUsageFigures.nullable(),
      /** the user's disk quota in MiB (null: no limit) and whether the node enforces it */
      quotaMb: z.number().nullable(),
      quotaEnforced: z.boolean().nullable(),
    }),
  ),
});
export type AccountDiskUsage = z.infer<typeof accountDiskUsage>;

/** GET /api/v1/system-users/{id}: the user with its last measured usage (null: not yet). */
export const sysUserDetail = sysUser.extend({ usage: sysUserUsageFigures.nullable() });
export type SysUserDetail = z.infer<typeof sysUserDetail>;
