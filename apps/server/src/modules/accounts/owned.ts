// What an account still owns, each kind counted by its table's owner: an account is deleted
// only when it owns nothing (docs/access.md), so that no site, app, zone, database, mailbox,
// monitor or backup runs on for an account that no longer exists, seen by no one but super
// users. Subordinate rows (a zone's records, a plan's runs, a system user's cron jobs) go
// with what owns them and are not counted here.
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import * as apps from "../apps/repo.ts";
import * as backupPlans from "../backups/plans-repo.ts";
import * as backupDestinations from "../backups/repo.ts";
import * as backupSources from "../backups/sources-repo.ts";
import * as cmsSites from "../cms/repo.ts";
import * as databases from "../databases/repo.ts";
import * as zones from "../dns/repo.ts";
import * as dnsProviders from "../dns-providers/repo.ts";
import * as mail from "../mail/repo.ts";
import * as monitors from "../monitors/repo.ts";
import * as channels from "../notifications/repo.ts";
import * as rules from "../notifications/rules/repo.ts";
import * as sites from "../sites/repo.ts";
import * as statusPages from "../status-pages/repo.ts";
import * as systemUsers from "../system-users/repo.ts";
import * as tasks from "../tasks/repo.ts";

type Count = (db: Kysely<Database>, accountId: string) => Promise<number>;

/** field (in the 409's details), label (in its message), count */
const KINDS: [string, string, Count][] = [
  ["sites", "sites", sites.countOfAccount],
  ["tasks", "tasks", tasks.countActiveOfAccount],
  ["systemUsers", "system users", systemUsers.countOfAccount],
  ["apps", "apps", apps.countOfAccount],
  ["dnsZones", "DNS zones", zones.countOfAccount],
  ["dnsProviders", "DNS providers", dnsProviders.countOfAccount],
  ["databaseServers", "database servers", databases.serversOfAccount],
  ["databases", "databases", databases.databasesOfAccount],
  ["backupPlans", "backup plans", backupPlans.countOfAccount],
  ["backupSources", "backup sources", backupSources.countOfAccount],
  ["backupDestinations", "backup destinations", backupDestinations.countOfAccount],
  ["mailDomains", "mail domains", mail.countOfAccount],
  ["cmsSites", "CMS sites", cmsSites.countOfAccount],
  ["monitors", "monitors", monitors.countOfAccount],
  ["statusPages", "status pages", statusPages.countOfAccount],
  ["notificationChannels", "notification channels", channels.countOfAccount],
  ["notificationRules", "notification rules", rules.countOfAccount],
];

/** Each kind the account still owns with its count (none: it may be deleted). */
export async function ownedBy(db: Kysely<Database>, accountId: string) {
  const owned: { field: string; label: string; n: number }[] = [];
  for (const [field, label, count] of KINDS) {
    const n = await count(db, accountId);
    if (n > 0) owned.push({ field, label, n });
  }
  return owned;
}
