// The named policies, one per resource: services ask these and never inspect roles, super
// flags or key scopes themselves (architecture/access-rule.test.ts). docs/access.md lists them.
import type { Capabilities } from "@steward/contracts";
import type { Ctx } from "../types.ts";
import { accounts } from "./accounts.ts";
import { apiKeys } from "./api-keys.ts";
import { apps } from "./apps.ts";
import { audit } from "./audit.ts";
import { backupDestinations } from "./backup-destinations.ts";
import { backups } from "./backups.ts";
import { certificates } from "./certificates.ts";
import { cmsSites } from "./cms-sites.ts";
import { cmsUpdates } from "./cms-updates.ts";
import { cronJobs } from "./cron.ts";
import { dashboard } from "./dashboard.ts";
import { databaseConsole } from "./database-console.ts";
import { databaseServers } from "./database-servers.ts";
import { dnsZones } from "./dns.ts";
import { events } from "./events.ts";
import { firewalls } from "./firewalls.ts";
import { github } from "./github.ts";
import { grants } from "./grants.ts";
import { groups } from "./groups.ts";
import { mailDomains } from "./mail.ts";
import { monitors } from "./monitors.ts";
import { nodes } from "./nodes.ts";
import { notificationRules } from "./notification-rules.ts";
import { messageTemplates, notificationChannels } from "./notifications.ts";
import { sites } from "./sites.ts";
import { statusPages } from "./status-pages.ts";
import { systemUsers } from "./system-users.ts";
import { tasks } from "./tasks.ts";
import { tunnels } from "./tunnels.ts";
import { users } from "./users.ts";

export const policies = {
  accounts,
  apiKeys,
  apps,
  audit,
  backupDestinations,
  backups,
  certificates,
  cmsSites,
  cmsUpdates,
  cronJobs,
  dashboard,
  dnsZones,
  databaseConsole,
  databaseServers,
  events,
  firewalls,
  github,
  grants,
  groups,
  mailDomains,
  messageTemplates,
  monitors,
  nodes,
  notificationChannels,
  notificationRules,
  sites,
  statusPages,
  systemUsers,
  tasks,
  tunnels,
  users,
};

/**
 * The capabilities worked out for a caller, by its grants' array: the actor cache hands each
 * request of a caller the same actor and grants (http/plugins/identity.ts) until a change drops
 * them, so a caller's console asking `GET /api/v1/me` again does not decide them again.
 */
const worked = new WeakMap<Ctx["grants"], { actor: Ctx["actor"]; can: Capabilities }>();

/** What the console offers the caller (GET /api/v1/me `can`), by the same decisions. */
export function capabilitiesOf(ctx: Ctx): Capabilities {
  const known = worked.get(ctx.grants);
  if (known && known.actor === ctx.actor) return known.can;
  const can = decideCapabilities(ctx);
  worked.set(ctx.grants, { actor: ctx.actor, can });
  return can;
}

function decideCapabilities(ctx: Ctx): Capabilities {
  return {
    createSite: sites.canCreateSomewhere(ctx).allowed,
    readNodes: nodes.canRead(ctx).allowed,
    createNode: nodes.canManage(ctx).allowed,
    createAccount: accounts.canCreate(ctx).allowed,
    manageUsers: users.canManage(ctx).allowed,
    manageGroups: groups.canManage(ctx).allowed,
    manageGrants: grants.canManage(ctx, "global", null).allowed,
    createApiKey: apiKeys.canIssue(ctx).allowed,
    readAudit: audit.canList(ctx).allowed,
    readAllAudit: audit.canReadAll(ctx).allowed,
    createChannel: notificationChannels.canCreateSomewhere(ctx).allowed,
    manageNotifications: messageTemplates.canEdit(ctx).allowed,
    createMonitor: monitors.canCreateSomewhere(ctx).allowed,
    manageDatabases: databaseServers.canCreateSomewhere(ctx).allowed,
    manageBackups: backups.canCreateSomewhere(ctx).allowed,
    upgradeAgents: nodes.canUpgradeAgent(ctx).allowed,
  };
}
