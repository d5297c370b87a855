// A new CMS site's row: its credential sealed (a WordPress application password without the
// spaces WordPress shows it with), no versions or diagnosis yet, linked or not to the Steward
// site hosting it (hosted.ts checkLink).
import type { CmsSiteCreate } from "@steward/contracts";
import type { Secrets } from "../../crypto/secrets.ts";
import { newId } from "../../lib/ids.ts";
import type { CmsSiteRow } from "./repo.ts";

export function newSiteRow(
  input: CmsSiteCreate,
  link: Pick<CmsSiteRow, "site_id" | "backup_plan_id">,
  secrets: Secrets,
): CmsSiteRow {
  const now = Date.now();
  return {
    id: newId("cms"),
    account_id: input.account,
    name: input.name,
    kind: input.kind,
    url: input.url.replace(/\/+$/, ""),
    username: input.username,
    secret_enc: secrets.seal(
      input.kind === "joomla"
        ? (input.apiToken ?? "")
        : (input.applicationPassword ?? "").replace(/ /g, ""),
    ),
    timezone: input.timezone,
    info: null,
    core_version: null,
    updates_available: 0,
    refreshed_at: null,
    refresh_error: null,
    diagnosis: null,
    refresh_task_id: null,
    ...link,
    created_at: now,
    updated_at: now,
  };
}
