// The policy matrix: every named decision of access/policies/, with what it answers for each
// kind of caller of the fixture world. Decisions about several targets answer the letters of
// those allowed: A and B (accounts A and B, or things in them), N (no account: system tasks),
// G (everything), S and O (the caller itself and another user, or its own events).
import type { Expression, SqlBool } from "kysely";
import type { Decision } from "../access/decision.ts";
import { policies } from "../access/policies/index.ts";
import type { TaskKinds } from "../access/policies/tasks.ts";
import type { Ctx } from "../access/types.ts";
import type { World } from "./fixtures.ts";
import { LINES, SYSTEM_KIND } from "./task-kinds.ts";

export interface Probe {
  ctx: Ctx;
  w: World;
  kinds: TaskKinds;
  /** the id audit events record for the caller */
  selfActorId: string;
  /** whether a list scope keeps a row of `table` holding `columns` */
  keeps(
    table: string,
    columns: Record<string, string | null>,
    scope: Expression<SqlBool> | null,
  ): Promise<boolean>;
}

/** Answers in the order of ACTORS: super, accountAdmin, operator, reader, noGrant, otherAdmin, narrowKey. */
type Answers = [unknown, unknown, unknown, unknown, unknown, unknown, unknown];
export interface Rule {
  expect: Answers;
  decide(p: Probe): unknown | Promise<unknown>;
}

const letters = async (cases: [string, boolean | Decision | Promise<boolean>][]) => {
  let out = "";
  for (const [letter, answer] of cases) {
    const value = await answer;
    if (typeof value === "boolean" ? value : value.allowed) out += letter;
  }
  return out;
};

const SUPER_ONLY: Answers = [true, false, false, false, false, false, false];
/** read on accounts A and B (the narrowed super key reads both) */
const READ_AB: Answers = ["AB", "A", "A", "A", "", "B", "AB"];
/** admin on accounts A and B */
const ADMIN_AB: Answers = ["AB", "A", "", "", "", "B", ""];
/** the caller itself (S), and another user (O) for the super group */
const SELF_OR_SUPER: Answers = ["SO", "S", "S", "S", "S", "S", "S"];
const site = (accountId: string) => ({ id: `site_${accountId}`, account_id: accountId });
const task = (kind: string, accountId: string | null) => ({
  kind,
  account_id: accountId,
  target_type: null,
  target_id: null,
});
const tasksOf = (p: Probe) =>
  [
    ["A", task(LINES, p.w.a)],
    ["B", task(LINES, p.w.b)],
    ["N", task(SYSTEM_KIND, null)],
  ] as const;
const accountRows = (p: Probe, scope: Expression<SqlBool> | null) =>
  letters([
    ["A", p.keeps("accounts", { id: p.w.a }, scope)],
    ["B", p.keeps("accounts", { id: p.w.b }, scope)],
  ]);
const taskRows = (p: Probe, scope: Expression<SqlBool> | null) =>
  letters(
    tasksOf(p).map(([letter, t]) => [
      letter,
      p.keeps("tasks", { ...t, id: `task_${letter}` }, scope),
    ]),
  );
const channelsOf = (p: Probe, answer: (owner: string | null) => Decision | Promise<boolean>) =>
  letters([
    ["A", answer(p.w.a)],
    ["B", answer(p.w.b)],
    ["I", answer(null)],
  ]);
const events = (p: Probe) =>
  [
    ["A", { accountId: p.w.a, actorId: "someone" }],
    ["B", { accountId: p.w.b, actorId: "someone" }],
    ["S", { accountId: null, actorId: p.selfActorId }],
  ] as const;
const monitor = (accountId: string | null) => ({
  id: `mon_${accountId ?? "n"}`,
  account_id: accountId,
});
const onABN = (p: Probe, decide: (m: ReturnType<typeof monitor>) => Decision | Promise<boolean>) =>
  letters([
    ["A", decide(monitor(p.w.a))],
    ["B", decide(monitor(p.w.b))],
    ["N", decide(monitor(null))],
  ]);
const domainEvent = (accountId: string | null) => ({
  id: `evt_${accountId ?? "n"}`,
  account_id: accountId,
  target_type: null,
  target_id: null,
});
/** domain events (modules/events): an account's to its readers, installation ones to super users */
function eventRules(): Record<string, Rule> {
  const { events: domainEvents } = policies;
  return {
    "events.canList": {
      expect: [true, true, true, true, true, true, true],
      decide: (p) => domainEvents.canList(p.ctx).allowed,
    },
    "events.canRead": {
      expect: ["ABN", "A", "A", "A", "", "B", "AB"],
      decide: (p) => onABN(p, (m) => domainEvents.canRead(p.ctx, domainEvent(m.account_id))),
    },
    "events.listScope": {
      expect: ["ABN", "A", "A", "A", "", "B", "AB"],
      decide: (p) => {
        const scope = domainEvents.listScope(p.ctx);
        return onABN(p, (m) => p.keeps("events", domainEvent(m.account_id), scope));
      },
    },
  };
}
/** a site's certificate is the site's (access/policies/certificates.ts) */
function certificateRules(): Record<string, Rule> {
  const { certificates } = policies;
  const cert = (accountId: string) => ({
    id: `crt_${accountId}`,
    site_id: `site_${accountId}`,
    account_id: accountId,
  });
  return {
    "certificates.canRead": {
      expect: READ_AB,
      decide: (p) => onAB(p, (id) => certificates.canRead(p.ctx, cert(id))),
    },
    "certificates.canManage": {
      expect: ADMIN_AB,
      decide: (p) => onAB(p, (id) => certificates.canManage(p.ctx, cert(id))),
    },
    "certificates.canManagePanel": {
      expect: SUPER_ONLY,
      decide: (p) => certificates.canManagePanel(p.ctx).allowed,
    },
    "certificates.listScope": {
      expect: READ_AB,
      decide: (p) => {
        const scope = certificates.listScope(p.ctx);
        return letters([
          ["A", p.keeps("certificates", cert(p.w.a), scope)],
          ["B", p.keeps("certificates", cert(p.w.b), scope)],
        ]);
      },
    },
  };
}
function monitorRules(): Record<string, Rule> {
  return {
    "monitors.canRead": {
      expect: ["ABN", "A", "A", "A", "", "B", "AB"],
      decide: (p) => onABN(p, (m) => monitors.canRead(p.ctx, m)),
    },
    "monitors.canManage": {
      expect: ["ABN", "A", "", "", "", "B", ""],
      decide: (p) => onABN(p, (m) => monitors.canManage(p.ctx, m)),
    },
    "monitors.canCreateIn": {
      expect: ADMIN_AB,
      decide: (p) => onAB(p, (id) => monitors.canCreateIn(p.ctx, id)),
    },
    "monitors.canCreateInstallation": {
      expect: SUPER_ONLY,
      decide: (p) => monitors.canCreateInstallation(p.ctx).allowed,
    },
    "monitors.canCreateSomewhere": {
      expect: [true, true, false, false, false, true, false],
      decide: (p) => monitors.canCreateSomewhere(p.ctx).allowed,
    },
    "monitors.listScope": {
      expect: ["ABN", "A", "A", "A", "", "B", "AB"],
      decide: (p) => {
        const scope = monitors.listScope(p.ctx);
        return onABN(p, (m) => p.keeps("monitors", m, scope));
      },
    },
  };
}

/** a DNS zone is a resource of its account (access/policies/dns.ts) */
function dnsZoneRules(): Record<string, Rule> {
  const { dnsZones } = policies;
  const zone = (accountId: string) => ({ id: `zone_${accountId}`, account_id: accountId });
  return {
    "dnsZones.canRead": {
      expect: READ_AB,
      decide: (p) => onAB(p, (id) => dnsZones.canRead(p.ctx, zone(id))),
    },
    "dnsZones.canManage": {
      expect: ADMIN_AB,
      decide: (p) => onAB(p, (id) => dnsZones.canManage(p.ctx, zone(id))),
    },
    "dnsZones.canCreateIn": {
      expect: ADMIN_AB,
      decide: (p) => onAB(p, (id) => dnsZones.canCreateIn(p.ctx, id)),
    },
    "dnsZones.canCreateSomewhere": {
      expect: [true, true, false, false, false, true, false],
      decide: (p) => dnsZones.canCreateSomewhere(p.ctx).allowed,
    },
    "dnsZones.listScope": {
      expect: READ_AB,
      decide: (p) => {
        const scope = dnsZones.listScope(p.ctx);
        return onAB(p, (id) => p.keeps("dns_zones", zone(id), scope));
      },
    },
  };
}
/** a mail domain is a resource of its account (access/policies/mail.ts) */
function mailDomainRules(): Record<string, Rule> {
  const { mailDomains } = policies;
  const domain = (accountId: string) => ({ id: `mdm_${accountId}`, account_id: accountId });
  return {
    "mailDomains.canRead": {
      expect: READ_AB,
      decide: (p) => onAB(p, (id) => mailDomains.canRead(p.ctx, domain(id))),
    },
    "mailDomains.canManage": {
      expect: ADMIN_AB,
      decide: (p) => onAB(p, (id) => mailDomains.canManage(p.ctx, domain(id))),
    },
    "mailDomains.canCreateIn": {
      expect: ADMIN_AB,
      decide: (p) => onAB(p, (id) => mailDomains.canCreateIn(p.ctx, id)),
    },
    "mailDomains.canReadUsageIn": {
      expect: READ_AB,
      decide: (p) => onAB(p, (id) => mailDomains.canReadUsageIn(p.ctx, id)),
    },
    "mailDomains.canCreateSomewhere": {
      expect: [true, true, false, false, false, true, false],
      decide: (p) => mailDomains.canCreateSomewhere(p.ctx).allowed,
    },
    "mailDomains.listScope": {
      expect: READ_AB,
      decide: (p) => {
        const scope = mailDomains.listScope(p.ctx);
        return onAB(p, (id) => p.keeps("mail_domains", domain(id), scope));
      },
    },
  };
}
/** database servers: an account's (A, B) and shared ones (N), which only super users see */
function databaseServerRules(): Record<string, Rule> {
  const { databaseServers } = policies;
  return {
    "databaseServers.canRead": {
      expect: ["ABN", "A", "A", "A", "", "B", "AB"],
      decide: (p) => onABN(p, (m) => databaseServers.canRead(p.ctx, m)),
    },
    "databaseServers.canManage": {
      expect: ["ABN", "A", "", "", "", "B", ""],
      decide: (p) => onABN(p, (m) => databaseServers.canManage(p.ctx, m)),
    },
    "databaseServers.canCreateIn": {
      expect: ADMIN_AB,
      decide: (p) => onAB(p, (id) => databaseServers.canCreateIn(p.ctx, id)),
    },
    "databaseServers.canReadSizesOf": {
      expect: READ_AB,
      decide: (p) => onAB(p, (id) => databaseServers.canReadSizesOf(p.ctx, id)),
    },
    "databaseServers.canCreateSomewhere": {
      expect: [true, true, false, false, false, true, false],
      decide: (p) => databaseServers.canCreateSomewhere(p.ctx).allowed,
    },
    "databaseServers.canCreateShared": {
      expect: SUPER_ONLY,
      decide: (p) => databaseServers.canCreateShared(p.ctx).allowed,
    },
    "databaseServers.listScope": {
      expect: ["ABN", "A", "A", "A", "", "B", "AB"],
      decide: (p) => {
        const scope = databaseServers.listScope(p.ctx);
        return onABN(p, (m) => p.keeps("database_servers", m, scope));
      },
    },
    "databaseServers.itemScope": {
      expect: ["ABN", "A", "A", "A", "", "B", "AB"],
      decide: (p) => {
        const { where } = databaseServers.itemScope(p.ctx, "databases");
        return onABN(p, (m) =>
          p.keeps("databases", { account_id: m.account_id, server_id: m.id }, where),
        );
      },
    },
  };
}

/** the SQL console of a database: its server's readers see it, operators read, admins write */
function databaseConsoleRules(): Record<string, Rule> {
  const { databaseConsole } = policies;
  return {
    "databaseConsole.canSee": {
      expect: ["ABN", "A", "A", "A", "", "B", "AB"],
      decide: (p) => onABN(p, (m) => databaseConsole.canSee(p.ctx, m)),
    },
    "databaseConsole.canRun": {
      expect: ["ABN/ABN", "A/A", "A/", "/", "/", "B/B", "/"],
      decide: async (p) =>
        `${await onABN(p, (m) => databaseConsole.canRun(p.ctx, m, "read"))}/${await onABN(p, (m) =>
          databaseConsole.canRun(p.ctx, m, "write"),
        )}`,
    },
  };
}

/** backup sources, plans, runs, artifacts: an account's; a node's directory super users only */
/** apps are resources of their account; a node's engine is the installation's */
function appRules(): Record<string, Rule> {
  const { apps } = policies;
  const app = (accountId: string) => ({ id: `app_${accountId}`, account_id: accountId });
  return {
    "apps.canRead": {
      expect: READ_AB,
      decide: (p) => onAB(p, (id) => apps.canRead(p.ctx, app(id))),
    },
    "apps.canManage": {
      expect: ADMIN_AB,
      decide: (p) => onAB(p, (id) => apps.canManage(p.ctx, app(id))),
    },
    "apps.canCreateIn": {
      expect: ADMIN_AB,
      decide: (p) => onAB(p, (id) => apps.canCreateIn(p.ctx, id)),
    },
    "apps.canListIn": {
      expect: READ_AB,
      decide: (p) => onAB(p, (id) => apps.canListIn(p.ctx, id)),
    },
    "apps.canUseEngine": { expect: SUPER_ONLY, decide: (p) => apps.canUseEngine(p.ctx).allowed },
    "apps.listScope": {
      expect: READ_AB,
      decide: (p) => {
        const scope = apps.listScope(p.ctx);
        return onAB(p, (id) => p.keeps("apps", app(id), scope));
      },
    },
  };
}

/** system users on nodes (issue 19) are resources of their account */
function systemUserRules(): Record<string, Rule> {
  const { systemUsers } = policies;
  const user = (accountId: string) => ({ id: `sysu_${accountId}`, account_id: accountId });
  return {
    "systemUsers.canRead": {
      expect: READ_AB,
      decide: (p) => onAB(p, (id) => systemUsers.canRead(p.ctx, user(id))),
    },
    "systemUsers.canManage": {
      expect: ADMIN_AB,
      decide: (p) => onAB(p, (id) => systemUsers.canManage(p.ctx, user(id))),
    },
    "systemUsers.canCreateIn": {
      expect: ADMIN_AB,
      decide: (p) => onAB(p, (id) => systemUsers.canCreateIn(p.ctx, id)),
    },
    "systemUsers.canListIn": {
      expect: READ_AB,
      decide: (p) => onAB(p, (id) => systemUsers.canListIn(p.ctx, id)),
    },
  };
}

/** cron jobs of hosting accounts (issue 19) are resources of their account */
function cronJobRules(): Record<string, Rule> {
  const { cronJobs } = policies;
  const job = (accountId: string) => ({ id: `cron_${accountId}`, account_id: accountId });
  return {
    "cronJobs.canRead": {
      expect: READ_AB,
      decide: (p) => onAB(p, (id) => cronJobs.canRead(p.ctx, job(id))),
    },
    "cronJobs.canManage": {
      expect: ADMIN_AB,
      decide: (p) => onAB(p, (id) => cronJobs.canManage(p.ctx, job(id))),
    },
    "cronJobs.canCreateIn": {
      expect: ADMIN_AB,
      decide: (p) => onAB(p, (id) => cronJobs.canCreateIn(p.ctx, id)),
    },
    "cronJobs.canListIn": {
      expect: READ_AB,
      decide: (p) => onAB(p, (id) => cronJobs.canListIn(p.ctx, id)),
    },
    "cronJobs.listScope": {
      expect: READ_AB,
      decide: (p) => {
        const scope = cronJobs.listScope(p.ctx);
        return onAB(p, (id) => p.keeps("cron_jobs", job(id), scope));
      },
    },
  };
}

function backupRules(): Record<string, Rule> {
  const { backups } = policies;
  const row = (accountId: string) => ({ account_id: accountId });
  return {
    "backups.canRead": {
      expect: READ_AB,
      decide: (p) => onAB(p, (id) => backups.canRead(p.ctx, row(id))),
    },
    "backups.canRun": {
      expect: ["AB", "A", "A", "", "", "B", ""],
      decide: (p) => onAB(p, (id) => backups.canRun(p.ctx, row(id))),
    },
    "backups.canManage": {
      expect: ADMIN_AB,
      decide: (p) => onAB(p, (id) => backups.canManage(p.ctx, row(id))),
    },
    "backups.canCreateIn": {
      expect: ADMIN_AB,
      decide: (p) => onAB(p, (id) => backups.canCreateIn(p.ctx, id)),
    },
    "backups.canCreateSomewhere": {
      expect: [true, true, false, false, false, true, false],
      decide: (p) => backups.canCreateSomewhere(p.ctx).allowed,
    },
    "backups.canReadNodes": {
      expect: SUPER_ONLY,
      decide: (p) => backups.canReadNodes(p.ctx).allowed,
    },
    "backups.listScope": {
      expect: READ_AB,
      decide: (p) => {
        const scope = backups.listScope(p.ctx, "backup_plans").where;
        return onAB(p, (id) => p.keeps("backup_plans", { account_id: id }, scope));
      },
    },
  };
}

/** backup destinations: an account's admins manage them, shared ones super users only */
function backupDestinationRules(): Record<string, Rule> {
  const { backupDestinations } = policies;
  return {
    "backupDestinations.canRead": {
      expect: ["ABN", "A", "A", "A", "", "B", "AB"],
      decide: (p) => onABN(p, (m) => backupDestinations.canRead(p.ctx, m)),
    },
    "backupDestinations.canManage": {
      expect: ["ABN", "A", "", "", "", "B", ""],
      decide: (p) => onABN(p, (m) => backupDestinations.canManage(p.ctx, m)),
    },
    "backupDestinations.canCreateIn": {
      expect: ADMIN_AB,
      decide: (p) => onAB(p, (id) => backupDestinations.canCreateIn(p.ctx, id)),
    },
    "backupDestinations.canTestOnNode": {
      expect: SUPER_ONLY,
      decide: (p) => backupDestinations.canTestOnNode(p.ctx).allowed,
    },
    "backupDestinations.canCreateOnNode": {
      expect: SUPER_ONLY,
      decide: (p) => backupDestinations.canCreateOnNode(p.ctx).allowed,
    },
    "backupDestinations.canCreateShared": {
      expect: SUPER_ONLY,
      decide: (p) => backupDestinations.canCreateShared(p.ctx).allowed,
    },
    "backupDestinations.canExplore": {
      expect: ["ABN", "AN", "AN", "AN", "", "BN", "ABN"],
      decide: (p) => onABN(p, (m) => backupDestinations.canExplore(p.ctx, m)),
    },
    // on a shared destination: objects of account A, of B, of no known account (N)
    "backupDestinations.seesObject": {
      expect: ["ABN", "A", "A", "A", "", "B", "AB"],
      decide: (p) =>
        letters([
          ["A", backupDestinations.seesObject(p.ctx, monitor(null), p.w.a)],
          ["B", backupDestinations.seesObject(p.ctx, monitor(null), p.w.b)],
          ["N", backupDestinations.seesObject(p.ctx, monitor(null), null)],
        ]),
    },
    // into A from A's destination (A), into B from a shared one holding B's object (B), into A
    // an object of no known account on a shared one (N), into B from A's destination (X)
    "backupDestinations.canImport": {
      expect: ["ABN", "A", "", "", "", "B", ""],
      decide: (p) =>
        letters([
          ["A", backupDestinations.canImport(p.ctx, monitor(p.w.a), null, p.w.a)],
          ["B", backupDestinations.canImport(p.ctx, monitor(null), p.w.b, p.w.b)],
          ["N", backupDestinations.canImport(p.ctx, monitor(null), null, p.w.a)],
          ["X", backupDestinations.canImport(p.ctx, monitor(p.w.a), p.w.a, p.w.b)],
        ]),
    },
    "backupDestinations.listScope": {
      expect: ["ABN", "A", "A", "A", "", "B", "AB"],
      decide: (p) => {
        const scope = backupDestinations.listScope(p.ctx);
        return onABN(p, (m) => p.keeps("backup_destinations", m, scope));
      },
    },
  };
}

/** CMS sites (access/policies/cms-sites.ts): read, operate (refresh, diagnose), admin */
function cmsSiteRules(): Record<string, Rule> {
  const { cmsSites } = policies;
  const onSites = (p: Probe, decide: (s: { id: string; account_id: string }) => Decision) =>
    onAB(p, (id) => decide({ id: `cms_${id}`, account_id: id }));
  return {
    "cmsSites.canRead": {
      expect: READ_AB,
      decide: (p) => onSites(p, (s) => cmsSites.canRead(p.ctx, s)),
    },
    "cmsSites.canRefresh": {
      expect: ["AB", "A", "A", "", "", "B", ""],
      decide: (p) => onSites(p, (s) => cmsSites.canRefresh(p.ctx, s)),
    },
    "cmsSites.canUseTools": {
      // the seed's self-service: backups, the file change scanner, unblocking IPs
      expect: ["AB", "A", "A", "", "", "B", ""],
      decide: (p) => onSites(p, (s) => cmsSites.canUseTools(p.ctx, s)),
    },
    "cmsSites.canManage": {
      expect: ADMIN_AB,
      decide: (p) => onSites(p, (s) => cmsSites.canManage(p.ctx, s)),
    },
    "cmsSites.canList": {
      expect: READ_AB,
      decide: (p) => onAB(p, (id) => cmsSites.canList(p.ctx, id)),
    },
    "cmsSites.extensionsScope": {
      expect: READ_AB,
      decide: (p) => {
        const { where } = cmsSites.extensionsScope(p.ctx);
        return onAB(p, (id) =>
          p.keeps("cms_extensions", { account_id: id, site_id: `cms_${id}` }, where),
        );
      },
    },
    "cmsSites.canRefreshAll": {
      expect: ["AB", "A", "A", "", "", "B", ""],
      decide: (p) => onAB(p, (id) => cmsSites.canRefreshAll(p.ctx, id)),
    },
    "cmsSites.canCreateIn": {
      expect: ADMIN_AB,
      decide: (p) => onAB(p, (id) => cmsSites.canCreateIn(p.ctx, id)),
    },
    "cmsUpdates.canReadDefaults": {
      expect: READ_AB,
      decide: (p) => onAB(p, (id) => policies.cmsUpdates.canReadDefaults(p.ctx, id)),
    },
    "cmsUpdates.canSetDefaults": {
      expect: ADMIN_AB,
      decide: (p) => onAB(p, (id) => policies.cmsUpdates.canSetDefaults(p.ctx, id)),
    },
  };
}

/** GitHub templates (the App and catalog super users', an account's templates its own) and tunnels */
function githubRules(): Record<string, Rule> {
  const { github } = policies;
  return {
    "github.canManageApp": {
      expect: SUPER_ONLY,
      decide: (p) => github.canManageApp(p.ctx).allowed,
    },
    "github.canManageSignIn": {
      expect: SUPER_ONLY,
      decide: (p) => github.canManageSignIn(p.ctx).allowed,
    },
    "github.canManageCatalog": {
      expect: SUPER_ONLY,
      decide: (p) => github.canManageCatalog(p.ctx).allowed,
    },
    "github.canRead": {
      expect: READ_AB,
      decide: (p) => onAB(p, (id) => github.canRead(p.ctx, id)),
    },
    "tunnels.canRead": {
      expect: SUPER_ONLY,
      decide: (p) => policies.tunnels.canRead(p.ctx).allowed,
    },
    "tunnels.canManage": {
      expect: SUPER_ONLY,
      decide: (p) => policies.tunnels.canManage(p.ctx).allowed,
    },
    "firewalls.canRead": {
      expect: SUPER_ONLY,
      decide: (p) => policies.firewalls.canRead(p.ctx).allowed,
    },
    "firewalls.canManage": {
      expect: SUPER_ONLY,
      decide: (p) => policies.firewalls.canManage(p.ctx).allowed,
    },
    "github.canGenerate": {
      expect: ADMIN_AB,
      decide: (p) => onAB(p, (id) => github.canGenerate(p.ctx, id)),
    },
  };
}

/** status pages: an account's admins manage them (access/policies/status-pages.ts) */
function statusPageRules(): Record<string, Rule> {
  const { statusPages } = policies;
  const page = (accountId: string) => ({ id: `stp_${accountId}`, account_id: accountId });
  return {
    "statusPages.canManage": {
      expect: ADMIN_AB,
      decide: (p) => onAB(p, (id) => statusPages.canManage(p.ctx, id)),
    },
    "statusPages.canCreateSomewhere": {
      expect: [true, true, false, false, false, true, false],
      decide: (p) => statusPages.canCreateSomewhere(p.ctx).allowed,
    },
    "statusPages.listScope": {
      expect: ADMIN_AB,
      decide: (p) => {
        const scope = statusPages.listScope(p.ctx);
        return onAB(p, (id) => p.keeps("status_pages", page(id), scope));
      },
    },
  };
}

/** A decision about account A and about account B (or a thing in each). */
const onAB = (p: Probe, decide: (accountId: string) => Decision | Promise<boolean>) =>
  letters([
    ["A", decide(p.w.a)],
    ["B", decide(p.w.b)],
  ]);
const selfAndOther = (p: Probe, decide: (id: string) => Decision) =>
  letters([
    ["S", decide(p.ctx.actor?.userId ?? "")],
    ["O", decide(p.w.target)],
  ]);

const {
  accounts,
  apiKeys,
  audit,
  dashboard,
  grants,
  groups,
  monitors,
  nodes,
  sites,
  tasks,
  users,
} = policies;
const { messageTemplates, notificationChannels, notificationRules } = policies;

export const POLICY_RULES: Record<string, Rule> = {
  "accounts.canCreate": { expect: SUPER_ONLY, decide: (p) => accounts.canCreate(p.ctx).allowed },
  "accounts.canDelete": { expect: SUPER_ONLY, decide: (p) => accounts.canDelete(p.ctx).allowed },
  "accounts.canRead": {
    expect: READ_AB,
    decide: (p) => onAB(p, (id) => accounts.canRead(p.ctx, id)),
  },
  "accounts.canManage": {
    expect: ADMIN_AB,
    decide: (p) => onAB(p, (id) => accounts.canManage(p.ctx, id)),
  },
  "accounts.listScope": {
    expect: READ_AB,
    decide: (p) => accountRows(p, accounts.listScope(p.ctx)),
  },
  "apiKeys.canManage": {
    expect: SELF_OR_SUPER,
    decide: (p) => selfAndOther(p, (id) => apiKeys.canManage(p.ctx, id)),
  },
  "apiKeys.canSee": {
    // a super user's narrowed key learns that another's key exists, then may not revoke it
    expect: ["SO", "S", "S", "S", "S", "S", "SO"],
    decide: (p) => selfAndOther(p, (id) => apiKeys.canSee(p.ctx, id)),
  },
  "apiKeys.canIssue": {
    expect: [true, true, true, true, true, true, false],
    decide: (p) => apiKeys.canIssue(p.ctx).allowed,
  },
  "audit.canList": {
    expect: [true, true, true, true, true, true, true],
    decide: (p) => audit.canList(p.ctx).allowed,
  },
  "audit.canReadAll": { expect: SUPER_ONLY, decide: (p) => audit.canReadAll(p.ctx).allowed },
  "audit.canRead": {
    expect: ["ABS", "AS", "S", "S", "S", "BS", "S"],
    decide: (p) => letters(events(p).map(([letter, e]) => [letter, audit.canRead(p.ctx, e)])),
  },
  "audit.listScope": {
    expect: ["ABS", "AS", "S", "S", "S", "BS", "S"],
    decide: (p) => {
      const scope = audit.listScope(p.ctx);
      return letters(
        events(p).map(([letter, e]) => [
          letter,
          p.keeps("audit_events", { account_id: e.accountId, actor_id: e.actorId }, scope),
        ]),
      );
    },
  },
  "dashboard.scope": {
    // users and groups counted : accounts : tasks
    expect: ["yes:AB:ABN", "no:A:A", "no:A:A", "no:A:A", "no::", "no:B:B", "no:AB:AB"],
    decide: async (p) => {
      const scope = dashboard.scope(p.ctx);
      const shown = [await accountRows(p, scope.accounts), await taskRows(p, scope.tasks)];
      return [scope.directory ? "yes" : "no", ...shown].join(":");
    },
  },
  "grants.canManage": {
    expect: ["ABG", "A", "", "", "", "B", ""],
    decide: (p) =>
      letters([
        ["A", grants.canManage(p.ctx, "account", p.w.a)],
        ["B", grants.canManage(p.ctx, "account", p.w.b)],
        ["G", grants.canManage(p.ctx, "global", null)],
      ]),
  },
  "groups.canManage": { expect: SUPER_ONLY, decide: (p) => groups.canManage(p.ctx).allowed },
  "nodes.canRead": {
    expect: [true, false, false, false, false, false, true],
    decide: (p) => nodes.canRead(p.ctx).allowed,
  },
  "nodes.canManage": { expect: SUPER_ONLY, decide: (p) => nodes.canManage(p.ctx).allowed },
  "nodes.canConfigureOutbound": {
    expect: SUPER_ONLY,
    decide: (p) => nodes.canConfigureOutbound(p.ctx).allowed,
  },
  "nodes.canConfigureFtps": {
    expect: SUPER_ONLY,
    decide: (p) => nodes.canConfigureFtps(p.ctx).allowed,
  },
  "nodes.canUpgradeAgent": {
    expect: SUPER_ONLY,
    decide: (p) => nodes.canUpgradeAgent(p.ctx).allowed,
  },
  "sites.canRead": {
    expect: READ_AB,
    decide: (p) => onAB(p, (id) => sites.canRead(p.ctx, site(id))),
  },
  "sites.canManage": {
    expect: ADMIN_AB,
    decide: (p) => onAB(p, (id) => sites.canManage(p.ctx, site(id))),
  },
  "sites.canCreateIn": {
    expect: ADMIN_AB,
    decide: (p) => onAB(p, (id) => sites.canCreateIn(p.ctx, id)),
  },
  "sites.canCreateSomewhere": {
    expect: [true, true, false, false, false, true, false],
    decide: (p) => sites.canCreateSomewhere(p.ctx).allowed,
  },
  "sites.listScope": {
    expect: READ_AB,
    decide: (p) => {
      const scope = sites.listScope(p.ctx);
      return letters([
        ["A", p.keeps("sites", site(p.w.a), scope)],
        ["B", p.keeps("sites", site(p.w.b), scope)],
      ]);
    },
  },
  // monitors: in account A, in account B, and the installation's own (N: no account)
  ...monitorRules(),
  ...eventRules(),
  ...certificateRules(),
  ...dnsZoneRules(),
  ...mailDomainRules(),
  ...databaseServerRules(),
  ...statusPageRules(),
  ...githubRules(),
  ...databaseConsoleRules(),
  ...backupDestinationRules(),
  ...backupRules(),
  ...appRules(),
  ...systemUserRules(),
  ...cronJobRules(),
  ...cmsSiteRules(),
  "tasks.canRead": {
    expect: ["ABN", "A", "A", "A", "", "B", "AB"],
    decide: (p) => letters(tasksOf(p).map(([l, t]) => [l, tasks.canRead(p.ctx, p.kinds, t)])),
  },
  "tasks.canRun": {
    expect: ["ABN", "A", "A", "", "", "B", ""],
    decide: (p) => letters(tasksOf(p).map(([l, t]) => [l, tasks.canRun(p.ctx, p.kinds, t)])),
  },
  "tasks.canChange": {
    expect: ["ABN", "A", "", "", "", "B", ""],
    decide: (p) => letters(tasksOf(p).map(([l, t]) => [l, tasks.canChange(p.ctx, p.kinds, t)])),
  },
  "tasks.canCreate": {
    expect: ["ABN", "A", "", "", "", "B", ""],
    decide: (p) =>
      letters([
        ["A", tasks.canCreate(p.ctx, false, p.w.a)],
        ["B", tasks.canCreate(p.ctx, false, p.w.b)],
        ["N", tasks.canCreate(p.ctx, true, p.w.a)],
      ]),
  },
  "tasks.listScope": {
    expect: ["ABN", "A", "A", "A", "", "B", "AB"],
    decide: (p) => taskRows(p, tasks.listScope(p.ctx)),
  },
  // notification channels of accounts A and B, and of the installation (I)
  "notificationChannels.canRead": {
    expect: ["ABI", "A", "A", "A", "", "B", "ABI"],
    decide: (p) => channelsOf(p, (owner) => notificationChannels.canRead(p.ctx, owner)),
  },
  "notificationChannels.canManage": {
    expect: ["ABI", "A", "", "", "", "B", ""],
    decide: (p) => channelsOf(p, (owner) => notificationChannels.canManage(p.ctx, owner)),
  },
  "notificationChannels.canCreateSomewhere": {
    expect: [true, true, false, false, false, true, false],
    decide: (p) => notificationChannels.canCreateSomewhere(p.ctx).allowed,
  },
  "notificationChannels.listScope": {
    expect: ["ABI", "A", "A", "A", "", "B", "ABI"],
    decide: (p) => {
      const scope = notificationChannels.listScope(p.ctx);
      return channelsOf(p, (owner) =>
        p.keeps("notification_channels", { account_id: owner }, scope),
      );
    },
  },
  "notificationRules.canRead": {
    expect: ["ABI", "A", "A", "A", "", "B", "ABI"],
    decide: (p) => channelsOf(p, (owner) => notificationRules.canRead(p.ctx, owner)),
  },
  "notificationRules.canManage": {
    expect: ["ABI", "A", "", "", "", "B", ""],
    decide: (p) => channelsOf(p, (owner) => notificationRules.canManage(p.ctx, owner)),
  },
  "notificationRules.listScope": {
    expect: ["ABI", "A", "A", "A", "", "B", "ABI"],
    decide: (p) => {
      const scope = notificationRules.listScope(p.ctx);
      return channelsOf(p, (owner) => p.keeps("notification_rules", { account_id: owner }, scope));
    },
  },
  "notificationRules.canReadSettings": {
    expect: [true, false, false, false, false, false, true],
    decide: (p) => notificationRules.canReadSettings(p.ctx).allowed,
  },
  "notificationRules.canEditSettings": {
    expect: SUPER_ONLY,
    decide: (p) => notificationRules.canEditSettings(p.ctx).allowed,
  },
  "messageTemplates.canRead": {
    expect: [true, false, false, false, false, false, true],
    decide: (p) => messageTemplates.canRead(p.ctx).allowed,
  },
  "messageTemplates.canEdit": {
    expect: SUPER_ONLY,
    decide: (p) => messageTemplates.canEdit(p.ctx).allowed,
  },
  "users.canManage": { expect: SUPER_ONLY, decide: (p) => users.canManage(p.ctx).allowed },
  "users.canRead": {
    expect: SELF_OR_SUPER,
    decide: (p) => selfAndOther(p, (id) => users.canRead(p.ctx, id)),
  },
  "users.canEdit": {
    // a key narrowed to reading may read its user, not change it
    expect: ["SO", "S", "S", "S", "S", "S", ""],
    decide: (p) => selfAndOther(p, (id) => users.canEdit(p.ctx, id)),
  },
};

/**
 * Every named decision: "<policy>.<decision>" for each function of each policy. A policy's
 * `listWalks` (and the audit's `narrowWalks`) is how its `listScope` is read (one index walk
 * per account), not a decision of its own: access/sql-filter.test.ts proves the walks keep
 * exactly the scope's rows (audit-trail.test.ts the narrowed ones).
 */
export const namedDecisions = (): string[] =>
  Object.entries(policies).flatMap(([policy, decisions]) =>
    Object.entries(decisions)
      .filter(([name, value]) => typeof value === "function" && !name.endsWith("Walks"))
      .map(([name]) => `${policy}.${name}`),
  );
