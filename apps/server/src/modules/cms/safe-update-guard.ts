// What a safe update takes before it changes a site (docs/cms.md#safe-updates), by kind: a
// Steward-hosted site (linked to its site and backup plan) a backup of its files and database
// through the backups capability, restored automatically (hosted-backup.ts), whatever the update;
// WordPress plugins and themes get a connector restore point (rolled back automatically),
// a Joomla extension or core update gets an Akeeba Backup (not restored automatically: the
// task names it), a WordPress core update the version running recorded (reinstalled when the
// update fails).
import { type CmsKind, cmsVersion, type JudgedOffer } from "@steward/contracts";
import type { Db } from "../../db/open.ts";
import type { TaskLogger } from "../../engine/types.ts";
import { type HostedBackups, type TakenBackup, takeHostedBackup } from "./hosted-backup.ts";
import { makeRestorePoint, type RestorableType } from "./restore-client.ts";
import { takeBackup } from "./tools-akeeba.ts";
import { readInfo, type WpOptions, type WpTarget } from "./wordpress.ts";

export type Guard =
  | { kind: "restore-point"; type: RestorableType; slug: string; id: string; version: string }
  | { kind: "akeeba"; backupId: string; record: number | null }
  | { kind: "core-version"; version: string }
  | TakenBackup
  | null;

/** A hosted site's backup plan, and what runs and restores it. */
export interface HostedGuard {
  db: Db;
  /** null: this process has no backups capability (the update is then not applied) */
  backups: HostedBackups | null;
  /** null: the plan was deleted (the update is then not applied) */
  planId: string | null;
}

/** Takes the update's guard; throws (the update is then not applied) when it cannot be taken. */
export async function takeGuard(
  kind: CmsKind,
  target: WpTarget,
  options: WpOptions,
  item: JudgedOffer,
  what: string,
  log: TaskLogger,
  hosted: HostedGuard | null = null,
): Promise<Guard> {
  if (hosted) {
    if (!hosted.planId) throw new Error("the site's backup plan was deleted: link another");
    if (!hosted.backups) throw new Error("backups are not available in this process");
    log.info(`backing up the hosted site before updating ${what} (backup plan ${hosted.planId})`);
    return takeHostedBackup(hosted.db, hosted.backups, hosted.planId, log);
  }
  if (item.type === "core" && kind !== "joomla") {
    // the version running now (not the last refresh's): the one reinstalled should this fail
    const running = cmsVersion.safeParse((await readInfo(target, options, false)).core);
    if (!running.success) throw new Error("the site's WordPress version is not one to reinstall");
    log.info(`WordPress ${running.data} running before the update`);
    return { kind: "core-version", version: running.data };
  }
  if (kind === "joomla") {
    const done = await takeBackup(
      target,
      options,
      { profile: 1, description: `Steward: before updating ${what}`.slice(0, 255) },
      (line) => log.info(line),
    );
    log.info(`Akeeba Backup ${done.backupId} taken before the update`);
    return { kind: "akeeba", ...done };
  }
  if (item.type !== "plugin" && item.type !== "theme")
    throw new Error(`a WordPress site has no ${item.type} updates`);
  const ext = { type: item.type, slug: item.slug };
  const point = await makeRestorePoint(target, options, ext);
  const source =
    point.kind === "package" ? " (WordPress.org's package: its files could not be zipped)" : "";
  log.info(`restore point of ${ext.type} ${ext.slug} at ${point.version}${source}`);
  return { kind: "restore-point", ...ext, id: point.id, version: point.version };
}

/** Why a guard does not bring the site back on its own, in words (after "; "). */
export const noRollback = (guard: Guard) =>
  guard?.kind === "akeeba"
    ? `not rolled back automatically: restore Akeeba Backup ${guard.backupId}${guard.record === null ? "" : ` (record ${guard.record})`}`
    : "a core update is not rolled back: restore the site from a backup";
