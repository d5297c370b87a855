// sysusers.apply: one account's system users on a node as the panel wants them (issue 19,
// docs/hosting.md). The agent makes the node match: the main user (owner of the files), its
// CGI user (`<main>-cgi`: runs PHP, reads but cannot write), secondary users with their
// homes inside the account's home, their passwords (SHA-512 crypt) and SSH keys, the
// account's sshd include (Match blocks, ChrootDirectory, internal-sftp; `sshd -t` before the
// reload) and its pure-ftpd virtual users. Users in `remove` go; `present: false` removes
// the whole account (its files kept unless `deleteFiles`).
import { z } from "zod";
import {
  homePath,
  mainUserName,
  passwordHash,
  shellAccess,
  sshPublicKeys,
  sysUserName,
  sysUserQuotaMb,
} from "./names.ts";

export const sysUserSpec = z.strictObject({
  name: sysUserName,
  shell: shellAccess,
  ftp: z.boolean(),
  keys: sshPublicKeys,
  passwordHash: passwordHash.nullable(),
  /**
   * disk quota in MiB where the home's filesystem has user quotas on; null or 0: no limit;
   * absent: the user's quota is left as it is
   */
  quotaMb: sysUserQuotaMb.nullable().optional(),
});
export type SysUserSpec = z.infer<typeof sysUserSpec>;

export const secondaryUserSpec = sysUserSpec.extend({ home: homePath });
export type SecondaryUserSpec = z.infer<typeof secondaryUserSpec>;

export const sysUsersApplyInput = z.strictObject({
  /** the account's id: the operation's lock key */
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  present: z.boolean(),
  main: sysUserSpec.extend({ name: mainUserName }),
  secondary: z.array(secondaryUserSpec).max(200),
  /** secondary users the node may still have, to delete */
  remove: z.array(sysUserName).max(200),
  /** with present: false, delete the account's files too */
  deleteFiles: z.boolean().default(false),
});
export type SysUsersApplyInput = z.infer<typeof sysUsersApplyInput>;

export const sysUsersApplyOutput = z.object({
  /** the account's chroot and home on the node */
  root: z.string(),
  home: z.string(),
  users: z.array(
    z.object({ name: z.string(), uid: z.number(), gid: z.number(), home: z.string() }),
  ),
  cgiUser: z.string(),
  /**
   * set: the users' quotas are what quotaMb asks (setquota); unsupported: the filesystem of
   * the account's home has no user quotas on, nothing is enforced (not an error); absent: no
   * user has a quotaMb
   */
  quota: z.enum(["set", "unsupported"]).optional(),
  /** what was not done, in words (no pure-ftpd on the node…) */
  notes: z.array(z.string()),
});
export type SysUsersApplyOutput = z.infer<typeof sysUsersApplyOutput>;
