// The CMS fleet's update policies, upgrade tasks and update history (migration 064,
// modules/cms/update-repo.ts; the visual check's columns and shots: migration 083). Kept
// beside schema.ts, which lists them in `Database`.
import type { ColumnType } from "kysely";

/** A policy: an account's defaults (site_id '') or a site's; all updates (ext_type '') or one. */
export interface CmsUpdatePolicyTable {
  id: string;
  account_id: string;
  site_id: string;
  ext_type: "" | "core" | "plugin" | "theme" | "extension";
  ext_slug: string;
  level: "none" | "notify" | "patch" | "minor" | "major";
  stable_only: number;
  /** minutes after local midnight; null: no window (any time) */
  window_start: number | null;
  window_minutes: number | null;
  /** bit 0 Monday … bit 6 Sunday */
  window_days: number | null;
  keyword: string | null;
  skip_version: string | null;
  /** migration 083: 1 on, 0 off, null: the account's (else off) */
  visual_check: number | null;
  /** % of the pixels; null: the account's (else 5) */
  visual_threshold: number | null;
  created_at: number;
  updated_at: number;
}

/** A site's run-once upgrade task, the updates people asked for, the offers announced. */
export interface CmsUpgradeTable {
  site_id: string;
  account_id: string;
  task_id: string | null;
  /** JSON: [{type, slug}] asked for by people, applied whatever the policy says */
  requested: string;
  /** JSON: ["type:slug:version"] offers already announced (cms.update.available) */
  announced: string;
  updated_at: number;
}

/** One update applied or tried on a site. */
export interface CmsUpdateHistoryTable {
  id: string;
  account_id: string;
  site_id: string;
  task_id: string | null;
  ext_type: "core" | "plugin" | "theme" | "extension";
  ext_slug: string;
  from_version: string | null;
  to_version: string | null;
  outcome: "succeeded" | "failed" | "rolled_back";
  message: string;
  status_before: number | null;
  status_after: number | null;
  /** migration 083: the % of pixels the update changed (null: no visual check, or skipped) */
  visual_percent: number | null;
  /** the threshold it was held to (null: the visual check was off) */
  visual_threshold: number | null;
  /** 1 when its before, after and diff images are in cms_update_shots */
  visual_shots: ColumnType<number, number | undefined, number>;
  created_at: number;
}

/** An update's screenshots (migration 083): before, after and their diff, PNG. */
export interface CmsUpdateShotTable {
  history_id: string;
  kind: "before" | "after" | "diff";
  site_id: string;
  png: Uint8Array;
  created_at: number;
}
