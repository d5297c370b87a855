// Tools on a CMS site (issue 17, docs/cms.md#tools): Admin Tools' PHP file change scanner, IP
// unblocking, its firewall off and on, a temporary Super User; Akeeba Backup's profiles and
// records. The inputs each route takes, checked on both sides of the wire.
import { z } from "zod";
import { ipText, parseIp } from "../net/address.ts";
import { pageQuery } from "../pagination.ts";
import { id, isoTime, label } from "../validators.ts";
import { extensionSlug } from "./cms.ts";

/** An IPv4 or IPv6 address (canonical: no leading zeros, no zone), answered canonical. */
export const cmsIp = z
  .string()
  .max(45, "must be at most 45 characters")
  .refine((s) => parseIp(s) !== null, "must be an IPv4 or IPv6 address")
  .transform((s) => ipText(parseIp(s) as NonNullable<ReturnType<typeof parseIp>>));

export const cmsUnblockRequest = z.strictObject({ ip: cmsIp });

/** A temporary Super User / administrator: until when (at most 7 days ahead). */
export const cmsTemporaryAdminRequest = z.strictObject({
  expiresAt: isoTime.refine((s) => {
    const at = Date.parse(s);
    return at > Date.now() && at <= Date.now() + 7 * 86_400_000;
  }, "must be in the future and at most 7 days ahead"),
});

export const cmsTemporaryAdmin = z.object({
  username: z.string(),
  /** shown once: Steward does not keep it */
  password: z.string(),
  expiresAt: z.string(),
});

export const cmsFirewallRequest = z.strictObject({ enabled: z.boolean() });
export const cmsFirewall = z.object({ enabled: z.boolean() });

/** A record or scan number on the site (Akeeba's and Admin Tools' integer ids). */
export const cmsRemoteId = z
  .string()
  .regex(/^[1-9][0-9]{0,8}$/, "must be a positive integer")
  .transform(Number);

export const cmsSiteRecordParams = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be an identifier"),
  record: cmsRemoteId,
});

/** Scans and their results come from the site in pages of 50: `offset` skips that many. */
export const CMS_SCAN_PAGE = 50;
export const cmsScanPage = z.strictObject({
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const cmsScan = z.object({
  id: z.number(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  status: z.string(),
  filesNew: z.number(),
  filesModified: z.number(),
  totalFiles: z.number(),
});

export const cmsScanAlert = z.object({
  id: z.number(),
  scanId: z.number(),
  path: z.string(),
  status: z.string(),
  threatScore: z.number(),
  acknowledged: z.boolean(),
  /** the change, for one alert's details (Admin Tools) */
  diff: z.string().optional(),
  /** what the threat score counted, for one alert's details (the Steward connector) */
  findings: z
    .array(z.object({ signature: z.string(), line: z.number(), text: z.string() }))
    .optional(),
});

export const cmsBackupRequest = z.strictObject({
  profile: z.number().int().min(1).max(1_000_000).default(1),
  description: label(255).optional(),
});

export const cmsBackupProfile = z.object({ id: z.number(), name: z.string() });
export const cmsBackupRecord = z.object({
  id: z.number(),
  description: z.string(),
  profileId: z.number(),
  status: z.string(),
  archive: z.string(),
  filesExist: z.boolean(),
  size: z.number(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
});
export const cmsBackups = z.object({
  profiles: z.array(cmsBackupProfile),
  records: z.array(cmsBackupRecord),
});
export type CmsBackups = z.infer<typeof cmsBackups>;

// --- the fleet's views (docs/cms.md#fleet-views) ----------------------------------------------

/**
 * `?outdated=true|false`: only what has (or has no) update offered; `?abandoned=true|false`: only
 * the WordPress plugins with (or without) no release on wordpress.org in the installation's limit.
 */
export const cmsExtensionListQuery = z.strictObject({
  account: id.optional(),
  /** an extension (`folder/file.php`, a theme, a Joomla element) or a core (`wordpress`, `joomla`) */
  slug: extensionSlug.optional(),
  outdated: z.enum(["true", "false"]).optional(),
  abandoned: z.enum(["true", "false"]).optional(),
  ...pageQuery,
});

export const cmsFleetExtension = z.object({
  id: z.string(),
  accountId: z.string(),
  siteId: z.string(),
  siteName: z.string(),
  siteUrl: z.string(),
  /** core, plugin, theme, or a Joomla extension type */
  type: z.string(),
  slug: z.string(),
  name: z.string(),
  version: z.string(),
  /** the version offered, or null */
  update: z.string().nullable(),
  active: z.boolean(),
  refreshedAt: z.string(),
  /** a WordPress plugin's last release on wordpress.org, when known */
  releasedAt: z.string().nullable(),
  /** no release within the installation's limit (cmsAbandonedMonths) */
  abandoned: z.boolean(),
});
