// Update policies, windows, safe updates and their history for the CMS fleet (issue 17,
// docs/cms.md#update-policies): a policy per account (the defaults), per site and per
// extension says how far an update may go on its own (none, notify only, patch, minor,
// major; stable versions only), and when (a window in the site's time zone).
import { z } from "zod";
import { clock, timeZone, weekday, weekdays } from "../notifications/rules.ts";
import { id, noControl } from "../validators.ts";
import { cmsUpdateType, extensionSlug } from "./cms.ts";

export const updateLevels = ["none", "notify", "patch", "minor", "major"] as const;
/** none: never, not even told; notify: told, never applied; patch/minor/major: applied up to */
export const updateLevel = z.enum(updateLevels);
export type UpdateLevel = z.infer<typeof updateLevel>;

/** A version as WordPress and its extensions write them: 6.4, 1.2.3, 2.0.0-beta.1, 5.9-RC2. */
export const cmsVersion = z
  .string()
  .max(64, "must be at most 64 characters")
  .regex(
    /^\d{1,9}(\.\d{1,9}){0,3}(-?[0-9A-Za-z]+(\.[0-9A-Za-z]+)*)?$/,
    "must be a version such as 1.2.3 or 2.0.0-beta.1",
  );

/** When updates may start: from `start` for `durationMinutes`, on the days it starts, local time. */
export const updateWindow = z.strictObject({
  start: clock,
  durationMinutes: z
    .number()
    .int("must be a whole number of minutes")
    .min(30, "must be at least 30 minutes")
    .max(1440, "must be at most 1440 minutes (a day)"),
  days: z
    .array(weekday)
    .min(1, "must name at least one day")
    .max(7)
    .refine((d) => new Set(d).size === d.length, "must not repeat a day")
    .default([...weekdays]),
});
export type UpdateWindow = z.infer<typeof updateWindow>;

/** Text the home page must contain before and after an update (the HTTP check). */
export const checkKeyword = z
  .string()
  .min(1, "must not be empty")
  .max(200, "must be at most 200 characters")
  .refine(noControl, "must not contain control characters or newlines");

/** The visual check of a safe update: screenshots of the home page before and after, compared. */
export const visualChecks = ["off", "on"] as const;
export const visualCheck = z.enum(visualChecks);
export type VisualCheck = z.infer<typeof visualCheck>;
/** Steward's default threshold: more than 5% of the pixels changed rolls the update back. */
export const DEFAULT_VISUAL_THRESHOLD = 5;
/** The share of the home page's pixels an update may change, in percent (0.1 to 100). */
export const visualThreshold = z
  .number()
  .min(0.1, "must be at least 0.1 (percent of the pixels)")
  .max(100, "must be at most 100 (percent of the pixels)");

/**
 * A policy as `PUT /api/v1/update-policies` takes it: for an account (no site: its defaults) or
 * one of its sites, for every update (no type) or one extension (or core). One per scope: a
 * second PUT replaces it. A window and a keyword belong to the whole site (or the defaults); a
 * skipped version to one extension.
 */
export const updatePolicySet = z
  .strictObject({
    account: id,
    site: id.nullable().default(null),
    type: cmsUpdateType.nullable().default(null),
    slug: extensionSlug.nullable().default(null),
    level: updateLevel,
    stableOnly: z.boolean().default(true),
    window: updateWindow.nullable().default(null),
    keyword: checkKeyword.nullable().default(null),
    /** an offered version left alone (not applied on its own) */
    skipVersion: cmsVersion.nullable().default(null),
    /** screenshots compared before and after each update (null: the account's, else off) */
    visualCheck: visualCheck.nullable().default(null),
    /** the % of pixels an update may change (null: the account's, else 5) */
    visualThreshold: visualThreshold.nullable().default(null),
  })
  .superRefine((p, ctx) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: "custom", path: [path], message });
    if (p.type !== null && p.type !== "core" && !p.slug) issue("slug", `must name the ${p.type}`);
    if ((p.type === null || p.type === "core") && p.slug)
      issue("slug", "must be left out unless type is plugin, theme or extension");
    if (p.type !== null && p.window) issue("window", "belongs to a whole site: leave out type");
    if (p.type !== null && p.keyword) issue("keyword", "belongs to a whole site: leave out type");
    if (p.type === null && p.skipVersion) issue("skipVersion", "needs a type (and slug)");
    if (p.type !== null && p.visualCheck)
      issue("visualCheck", "belongs to a whole site: leave out type");
    if (p.type !== null && p.visualThreshold !== null)
      issue("visualThreshold", "belongs to a whole site: leave out type");
  });
export type UpdatePolicySet = z.infer<typeof updatePolicySet>;

export const updatePolicy = z.object({
  id: z.string(),
  accountId: z.string(),
  siteId: z.string().nullable(),
  type: cmsUpdateType.nullable(),
  slug: z.string().nullable(),
  level: updateLevel,
  stableOnly: z.boolean(),
  window: updateWindow.nullable(),
  keyword: z.string().nullable(),
  skipVersion: z.string().nullable(),
  visualCheck: visualCheck.nullable(),
  visualThreshold: z.number().nullable(),
  updatedAt: z.string(),
});
export type UpdatePolicy = z.infer<typeof updatePolicy>;

export const updatePolicyListQuery = z.strictObject({ account: id, site: id.optional() });

/** Where an effective setting comes from: the site's policy, the account's, or Steward's default. */
export const policySource = z.enum(["extension", "site-extension", "site", "account", "default"]);

/** One offer of a site judged by its policy. */
export const judgedOffer = z.object({
  type: cmsUpdateType,
  slug: z.string(),
  name: z.string(),
  from: z.string(),
  to: z.string(),
  level: updateLevel,
  source: policySource,
  /** applied on its own (by the finder), or why not */
  automatic: z.boolean(),
  reason: z.string().nullable(),
});
export type JudgedOffer = z.infer<typeof judgedOffer>;

/** `GET /api/v1/cms-sites/{id}/policy`: what applies to the site, and when. */
export const cmsSitePolicy = z.object({
  siteId: z.string(),
  timezone: timeZone,
  level: updateLevel,
  stableOnly: z.boolean(),
  source: policySource,
  window: updateWindow.nullable(),
  keyword: z.string().nullable(),
  /** the visual check and its threshold (% of the pixels) */
  visualCheck: visualCheck,
  visualThreshold: z.number(),
  /** when the next window opens (now when it is open), null without a window */
  nextWindow: z.string().nullable(),
  offers: z.array(judgedOffer),
  /** the site's own policies (site-wide and per extension) */
  policies: z.array(updatePolicy),
});
export type CmsSitePolicy = z.infer<typeof cmsSitePolicy>;

export const updateOutcome = z.enum(["succeeded", "failed", "rolled_back"]);
export type UpdateOutcome = z.infer<typeof updateOutcome>;

/** One update applied (or tried) on a site, in its history. */
export const cmsUpdateHistoryEntry = z.object({
  id: z.string(),
  siteId: z.string(),
  taskId: z.string().nullable(),
  type: cmsUpdateType,
  slug: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  outcome: updateOutcome,
  message: z.string(),
  /** the home page's status before and after (null: not checked, or no answer) */
  statusBefore: z.number().int().nullable(),
  statusAfter: z.number().int().nullable(),
  /**
   * the visual check (null: off for this update): the % of pixels changed (null: skipped, the
   * message says why) against the threshold; `shots` when the before, after and diff images
   * are kept (`GET /api/v1/cms-sites/{id}/history/{entry}/shots/{before|after|diff}`)
   */
  visual: z
    .object({ percent: z.number().nullable(), threshold: z.number(), shots: z.boolean() })
    .nullable(),
  at: z.string(),
});

export const visualShotKind = z.enum(["before", "after", "diff"]);
export type VisualShotKind = z.infer<typeof visualShotKind>;

/** `GET /api/v1/cms-sites/{id}/history/{entry}/shots/{kind}`: one image of an update. */
export const cmsUpdateShotParams = z.strictObject({ id, entry: id, kind: visualShotKind });
export type CmsUpdateHistoryEntry = z.infer<typeof cmsUpdateHistoryEntry>;

/** `POST /api/v1/cms-sites/updates`: the account's sites (or some) updated as policies allow. */
export const cmsBulkUpdate = z.strictObject({
  account: id,
  /** the sites (default: every site of the account the caller may update) */
  sites: z.array(id).min(1).max(1000).optional(),
  /** every offer, not only what the policies apply on their own (none-level ones still not) */
  all: z.boolean().default(false),
  /** start at once (still 2 minutes apart), not at each site's next window */
  now: z.boolean().default(false),
  /** tell what would run when, change nothing */
  preview: z.boolean().default(true),
});
export type CmsBulkUpdate = z.infer<typeof cmsBulkUpdate>;

export const cmsPlannedUpdate = z.object({
  siteId: z.string(),
  siteName: z.string(),
  timezone: z.string(),
  /** when its upgrade task starts (null: nothing to do) */
  runAt: z.string().nullable(),
  updates: z.array(judgedOffer),
  /** the upgrade task (null in a preview, or when nothing is to do) */
  taskId: z.string().nullable(),
  /** why nothing runs (no offer allowed, no refresh yet, a task already waiting) */
  note: z.string().nullable(),
});
export type CmsPlannedUpdate = z.infer<typeof cmsPlannedUpdate>;

export const cmsBulkUpdatePlan = z.object({
  preview: z.boolean(),
  /** seconds between two sites' upgrades */
  spacingSeconds: z.number().int(),
  items: z.array(cmsPlannedUpdate),
});
export type CmsBulkUpdatePlan = z.infer<typeof cmsBulkUpdatePlan>;
