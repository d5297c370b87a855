// The CMS site fleet (issue 17, docs/cms.md): WordPress sites reached through the Steward
// connector plugin with an application password (sealed at rest, never answered), their
// connection diagnostics, cached versions and extensions, update offers and updates.
import { z } from "zod";
import { targetUrl } from "../notifications/channels.ts";
import { timeZone } from "../notifications/rules.ts";
import { id, label, noControl } from "../validators.ts";

export const cmsKind = z.enum(["wordpress", "joomla"]);
export type CmsKind = z.infer<typeof cmsKind>;

/** The site's address: http(s), no user info, at most 2 KB; judged by the outbound policy. */
export const cmsUrl = targetUrl.refine(
  (s) => !/[?#]/.test(s),
  "must be the site's address without a query or fragment",
);

/** A WordPress user name (letters, digits, space, _ . @ -). */
export const cmsUser = z
  .string()
  .min(1, "must not be empty")
  .max(60, "must be at most 60 characters")
  .regex(/^[A-Za-z0-9 _.@-]+$/, "must be a WordPress user name (letters, digits, space, _ . @ -)");

/** A WordPress application password: 24 letters and digits, in groups of 4 or not. */
export const cmsApplicationPassword = z
  .string()
  .max(64, "must be at most 64 characters")
  .regex(
    /^[A-Za-z0-9]{4}( ?[A-Za-z0-9]{4}){3,7}$/,
    "must be an application password (24 letters and digits, as WordPress shows it)",
  );

/** A plugin (`dir/file.php`) or theme (`dir`) as WordPress names it. */
export const extensionSlug = z
  .string()
  .max(200, "must be at most 200 characters")
  .regex(
    /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*\.php)?$/,
    "must be a plugin (folder/file.php) or theme (folder) name",
  )
  .refine((s) => !s.includes(".."), "must not contain ..")
  .refine(noControl, "must not contain control characters");

/** A Joomla version as the Panopticon connector answers it (5.1.2, 5.2.0-rc1). */
export const joomlaVersion = z
  .string()
  .max(50, "must be at most 50 characters")
  .regex(
    /^\d{1,4}\.\d{1,4}\.\d{1,4}(-[0-9A-Za-z]{1,20}(\.[0-9A-Za-z]{1,20}){0,3})?$/,
    "must be a Joomla version like 5.1.2",
  );

/** The Joomla update package's file name, in the site's tmp folder (Joomla_5.1.2-Stable-Update_Package.zip). */
export const joomlaPackageName = z
  .string()
  .max(200, "must be at most 200 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\.zip$/, "must be a .zip file name")
  .refine((s) => !s.includes(".."), "must not contain ..");

/** A Joomla API token (User → Joomla API Token): base64 of "sha256:<user id>:<HMAC>". */
export const joomlaApiToken = z
  .string()
  .max(300, "must be at most 300 characters")
  .regex(
    /^[A-Za-z0-9+/]{20,300}={0,2}$/,
    "must be a Joomla API token (base64, as Joomla shows it)",
  );

export const cmsSiteCreate = z
  .strictObject({
    account: id,
    name: label(63),
    kind: cmsKind.default("wordpress"),
    url: cmsUrl,
    /** WordPress: the administrator; Joomla: the Super User the API token belongs to */
    username: cmsUser,
    /** WordPress only */
    applicationPassword: cmsApplicationPassword.optional(),
    /** Joomla only */
    apiToken: joomlaApiToken.optional(),
    /** where update windows are read (next session's policies); default UTC */
    timezone: timeZone.default("UTC"),
    /** the Steward site hosting it (same account): docs/cms.md#a-steward-hosted-site */
    site: id.optional(),
    /** the backup plan of that site's files and database: the upgrade task's restore point */
    backupPlan: id.optional(),
  })
  .superRefine((r, ctx) => {
    hostedPair(r, ctx);
    const [need, other] =
      r.kind === "joomla"
        ? (["apiToken", "applicationPassword"] as const)
        : (["applicationPassword", "apiToken"] as const);
    if (!r[need])
      ctx.addIssue({ code: "custom", path: [need], message: `a ${r.kind} site needs it` });
    if (r[other])
      ctx.addIssue({ code: "custom", path: [other], message: `a ${r.kind} site does not take it` });
  });
export type CmsSiteCreate = z.infer<typeof cmsSiteCreate>;

/** A hosted site's link comes whole: the site and the backup plan of its files and database. */
function hostedPair(
  r: { site?: string | null | undefined; backupPlan?: string | null | undefined },
  ctx: z.RefinementCtx,
) {
  if (r.site === undefined && r.backupPlan === undefined) return;
  if (Boolean(r.site) !== Boolean(r.backupPlan))
    ctx.addIssue({
      code: "custom",
      path: [r.site ? "backupPlan" : "site"],
      message: "a hosted site is linked with the backup plan of its files and database: give both",
    });
}

/** PATCH of a CMS site: link it to the Steward site hosting it and its backup plan (null: unlink). */
export const cmsSitePatch = z
  .strictObject({ site: id.nullable(), backupPlan: id.nullable() })
  .superRefine(hostedPair);
export type CmsSitePatch = z.infer<typeof cmsSitePatch>;

export const cmsSiteListQuery = z.strictObject({ account: id });

export const cmsDiagnosticCode = z.enum([
  "refused",
  "dns",
  "tcp-refused",
  "tcp-timeout",
  "tls",
  "forbidden",
  "api-missing",
  "unauthorized",
  "no-capability",
  "connector-missing",
  "connector-outdated",
  "url-mismatch",
  "akeeba-missing",
  "admintools-missing",
]);
export type CmsDiagnosticCode = z.infer<typeof cmsDiagnosticCode>;

export const cmsDiagnostic = z.object({
  code: cmsDiagnosticCode,
  severity: z.enum(["error", "warning"]),
  /** what is wrong */
  message: z.string(),
  /** how to fix it */
  fix: z.string(),
  /** the section of docs/cms.md that explains it */
  docs: z.string(),
});
export type CmsDiagnostic = z.infer<typeof cmsDiagnostic>;

export const cmsDiagnosis = z.object({
  /** no error (warnings may remain) */
  ok: z.boolean(),
  checkedAt: z.string(),
  problems: z.array(cmsDiagnostic),
});
export type CmsDiagnosis = z.infer<typeof cmsDiagnosis>;

/** WordPress's plugins and themes; Joomla's extension types. */
export const cmsExtensionType = z.enum([
  "plugin",
  "theme",
  "component",
  "module",
  "template",
  "package",
  "library",
  "file",
  "language",
]);

export const cmsExtension = z.object({
  type: cmsExtensionType,
  slug: z.string(),
  name: z.string(),
  version: z.string(),
  active: z.boolean(),
  /** the version offered, or null when none is */
  update: z.string().nullable(),
});
export type CmsExtension = z.infer<typeof cmsExtension>;

/** What the connector told at the last refresh. */
export const cmsInfo = z.object({
  connector: z.string(),
  core: z.string(),
  php: z.string(),
  database: z.string(),
  siteUrl: z.string(),
  timezone: z.string(),
  /** the core version offered, or null */
  coreUpdate: z.string().nullable(),
  extensions: z.array(cmsExtension),
});
export type CmsInfo = z.infer<typeof cmsInfo>;

export const cmsSite = z.object({
  id: z.string(),
  accountId: z.string(),
  name: z.string(),
  kind: cmsKind,
  url: z.string(),
  username: z.string(),
  timezone: z.string(),
  /** the core version at the last refresh */
  coreVersion: z.string().nullable(),
  /** updates offered at the last refresh (core and extensions) */
  updatesAvailable: z.number().int(),
  info: cmsInfo.nullable(),
  refreshedAt: z.string().nullable(),
  /** the last refresh's error, or null */
  refreshError: z.string().nullable(),
  diagnosis: cmsDiagnosis.nullable(),
  /** the Steward site hosting it and the backup plan of its files and database, or null */
  hosted: z.object({ site: z.string(), backupPlan: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CmsSite = z.infer<typeof cmsSite>;

/**
 * A site as the API answers it: with what the console may offer the caller on it (a hint from
 * the site's policy, cmsSites; every request is still authorized): diagnose and refresh, the
 * operators' tools (scan, unblock, backups), the admins' (updates, temporary admin, removal).
 */
export const cmsSiteAnswer = cmsSite.extend({
  can: z.object({ refresh: z.boolean(), useTools: z.boolean(), manage: z.boolean() }),
});

/** core, a WordPress plugin or theme, or a Joomla extension (any type, by its element name) */
export const cmsUpdateType = z.enum(["core", "plugin", "theme", "extension"]);

export const cmsUpdateOffer = z.object({
  type: cmsUpdateType,
  /** the extension; "" for core */
  slug: z.string(),
  name: z.string(),
  from: z.string(),
  to: z.string(),
});
export type CmsUpdateOffer = z.infer<typeof cmsUpdateOffer>;

export const cmsUpdates = z.object({
  refreshedAt: z.string().nullable(),
  items: z.array(cmsUpdateOffer),
});

export const cmsUpdateRequest = z
  .strictObject({
    type: cmsUpdateType,
    /** the plugin (folder/file.php) or theme (folder); not for core */
    slug: extensionSlug.optional(),
  })
  .superRefine((r, ctx) => {
    if (r.type !== "core" && !r.slug)
      ctx.addIssue({ code: "custom", path: ["slug"], message: `must name the ${r.type}` });
    if (r.type === "core" && r.slug)
      ctx.addIssue({ code: "custom", path: ["slug"], message: "must be left out for core" });
  });
export type CmsUpdateRequest = z.infer<typeof cmsUpdateRequest>;

/** A task started for the site (refresh, update): follow it at /api/v1/tasks/{taskId}. */
export const cmsTaskStarted = z.object({ taskId: z.string() });
