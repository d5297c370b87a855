// The kinds `steward state` makes through the API, in dependency order: what a kind refers to
// comes before it (accounts before their sites); deletions run in the reverse order.
import type { KindOps, StateKind } from "../kind.ts";
import { accounts } from "./accounts.ts";
import { apps } from "./apps.ts";
import { backupDestinations } from "./backup-destinations.ts";
import { backupPlans } from "./backup-plans.ts";
import { backupSources } from "./backup-sources.ts";
import { channels } from "./channels.ts";
import { crontabs } from "./crontabs.ts";
import { databaseServers } from "./database-servers.ts";
import { databaseUsers } from "./database-users.ts";
import { databases } from "./databases.ts";
import { grants } from "./grants.ts";
import { groups } from "./groups.ts";
import { mailAliases } from "./mail-aliases.ts";
import { mailDomains } from "./mail-domains.ts";
import { mailboxes } from "./mailboxes.ts";
import { monitors } from "./monitors.ts";
import { rules } from "./rules.ts";
import { sites } from "./sites.ts";
import { statusPages } from "./status-pages.ts";
import { systemUsers } from "./system-users.ts";
import { zones } from "./zones.ts";

export const kindOps: { [K in StateKind]: KindOps<K> } = {
  account: accounts,
  group: groups,
  grant: grants,
  zone: zones,
  site: sites,
  "mail-domain": mailDomains,
  mailbox: mailboxes,
  "mail-alias": mailAliases,
  "database-server": databaseServers,
  database: databases,
  "database-user": databaseUsers,
  monitor: monitors,
  "status-page": statusPages,
  channel: channels,
  "notification-rule": rules,
  "backup-destination": backupDestinations,
  "backup-source": backupSources,
  "backup-plan": backupPlans,
  "system-user": systemUsers,
  crontab: crontabs,
  app: apps,
};
export const kindOrder = Object.keys(kindOps) as StateKind[];
