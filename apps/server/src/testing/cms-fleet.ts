// A fleet of CMS sites written straight into a test server's database (bench:fleet): adding a
// thousand through the API would diagnose each one first, which is not what the bench measures.
// The application password sealed as the service seals it.
import { newId } from "../lib/ids.ts";
import { insertSite } from "../modules/cms/repo.ts";
import type { TestServer } from "./harness.ts";

export async function seedCmsSites(
  s: TestServer,
  accountId: string,
  sites: { url: string; username: string; password: string }[],
) {
  const ids: string[] = [];
  for (const [i, site] of sites.entries()) {
    const now = Date.now();
    const id = newId("cms");
    await insertSite(s.svc.db.db, {
      id,
      account_id: accountId,
      name: `site-${i}`,
      kind: "wordpress",
      url: site.url,
      username: site.username,
      secret_enc: s.svc.secrets.seal(site.password),
      timezone: "UTC",
      info: null,
      core_version: null,
      updates_available: 0,
      refreshed_at: null,
      refresh_error: null,
      diagnosis: null,
      refresh_task_id: null,
      created_at: now,
      updated_at: now,
    });
    ids.push(id);
  }
  return ids;
}
