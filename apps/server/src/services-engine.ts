// The task engine's part of the services (services.ts loads it when a service first needs
// it): the engine with every task kind registered, the nodes' PKI and the agents' client,
// and the services built on them (tasks, nodes, sites, dashboard), each made on first use.
// It brings @steward/pki (X.509, ~200 modules) and pino's log file handling, which the
// commands that do not touch tasks or nodes never load.

import type { agent } from "@steward/contracts";
import type { Logger } from "pino";
import { type Ctx, systemActor } from "./access/types.ts";
import { createAgentClient, type OnLog } from "./agents/client.ts";
import type { Settings } from "./config/schema.ts";
import type { Secrets } from "./crypto/secrets.ts";
import type { Db } from "./db/open.ts";
import { registerBuiltins } from "./engine/builtin/index.ts";
import { installDefaultTasks } from "./engine/builtin/install.ts";
import { createEngine, defaultEngineOptions } from "./engine/engine.ts";
import { once } from "./lib/once.ts";
import { logFileOf } from "./log.ts";
import { createComposeService } from "./modules/apps/compose-service.ts";
import { createGitAppsService } from "./modules/apps/git-service.ts";
import { nodeCaller } from "./modules/apps/node-call.ts";
import { createAppObserver } from "./modules/apps/observe.ts";
import { createAppsService } from "./modules/apps/service.ts";
import { registerAppTasks } from "./modules/apps/tasks.ts";
import type { AuditService } from "./modules/audit/service.ts";
import { createArtifactsService } from "./modules/backups/artifacts-service.ts";
import { createPlansService } from "./modules/backups/plans-service.ts";
import { type BackupTaskDeps, registerBackupTasks } from "./modules/backups/plans-tasks.ts";
import { registerRestoreTasks } from "./modules/backups/restore-tasks.ts";
import { dns01Sources } from "./modules/certificates/dns01.ts";
import { createCertificatesService } from "./modules/certificates/service.ts";
import { registerCertificateTasks } from "./modules/certificates/tasks.ts";
import { hostGate } from "./modules/cms/fleet-refresh.ts";
import { cmsPolicy } from "./modules/cms/outbound.ts";
import { registerPluginDirectoryTask } from "./modules/cms/plugin-directory.ts";
import { createCmsService } from "./modules/cms/service.ts";
import { registerCmsTasks } from "./modules/cms/tasks.ts";
import { createCmsUpdatesService } from "./modules/cms/update-service.ts";
import { registerUpgradeTasks } from "./modules/cms/upgrade-register.ts";
import { enqueueCollect } from "./modules/cron/collect.ts";
import { reapplyStale } from "./modules/cron/reapply.ts";
import { createCronService } from "./modules/cron/service.ts";
import { registerCronTasks } from "./modules/cron/tasks.ts";
import { createDashboardService } from "./modules/dashboard/service.ts";
import { createExecutor, outboundOf } from "./modules/databases/executor.ts";
import { registerDatabaseTasks } from "./modules/databases/sizes.ts";
import { stewardZonesDns01 } from "./modules/dns/acme.ts";
import { createDnsService } from "./modules/dns/service.ts";
import { registerDnsTasks } from "./modules/dns/tasks.ts";
import { dns01Of, providerHandles } from "./modules/dns-providers/service.ts";
import { taskEvents } from "./modules/events/tasks.ts";
import { createFirewallService } from "./modules/firewall/service.ts";
import { registerFirewallTasks } from "./modules/firewall/tasks.ts";
import { registerGithubTasks } from "./modules/github/tasks.ts";
import { createInstallService } from "./modules/install/service.ts";
import { createMailDkimService } from "./modules/mail/dkim.ts";
import { registerMailDkimTask } from "./modules/mail/dkim-task.ts";
import { createMailService, domainFinder } from "./modules/mail/service.ts";
import { registerMailTasks, reinstallMailCertificate } from "./modules/mail/tasks.ts";
import { registerMonitorTasks } from "./modules/monitors/rollup.ts";
import type { MonitorsService } from "./modules/monitors/service.ts";
import { createNodesService } from "./modules/nodes/service.ts";
import { registerNodeTasks } from "./modules/nodes/tasks.ts";
import { deliverTask } from "./modules/notifications/dispatch/deliver.ts";
import { createDispatcher } from "./modules/notifications/dispatch/dispatcher.ts";
import type { RuleCache } from "./modules/notifications/rules/cache.ts";
import type { TemplateStore } from "./modules/notifications/template-store.ts";
import { createSitesService } from "./modules/sites/service.ts";
import { registerSiteTasks } from "./modules/sites/tasks.ts";
import {
  createFtpTlsService,
  registerFtpTlsTasks,
  reinstallFtpCertificate,
} from "./modules/system-users/ftp-tls.ts";
import { createSystemUsersService } from "./modules/system-users/service.ts";
import { registerSystemUserTasks } from "./modules/system-users/tasks.ts";
import { createTasksService } from "./modules/tasks/service.ts";
import { createPkiStore } from "./pki/store.ts";

export interface EngineDeps {
  settings: Settings;
  db: Db;
  log: Logger;
  secrets: Secrets;
  publicUrl: string;
  audit: () => AuditService;
  /** the notification rules as the dispatcher matches them, and the templates it renders */
  rules: () => RuleCache;
  /** the monitors' service (cron jobs' heartbeat monitors) */
  monitors: () => MonitorsService;
  templates: () => TemplateStore;
}

export function composeEngine(deps: EngineDeps) {
  const { settings, db, log, secrets, publicUrl, audit } = deps;
  const engine = createEngine(db, log, {
    ...defaultEngineOptions,
    concurrency: settings.workerConcurrency,
    leaseMs: settings.taskLeaseSeconds * 1000,
    stallAfterMs: settings.schedulerStallSeconds * 1000,
    listenUrl: db.dialect === "postgres" ? settings.databaseUrl : undefined,
  });
  engine.transitions.onFinish(taskEvents);
  registerBuiltins(engine.registry, { db, settings, log, logFile: logFileOf(log) });
  const pki = createPkiStore({ db: db.db, secrets });
  registerNodeTasks(engine.registry, {
    db,
    pki,
    // the agent says scheduled cron runs wait in its spool: collect them
    onCronRuns: (nodeId) => enqueueCollect(engine, nodeId),
    // its cron.d files from before cron-exec: the accounts' jobs applied again
    onCronStale: (nodeId, accounts) => reapplyStale({ db, engine }, nodeId, accounts),
  });
  const agents = createAgentClient({ db, pki });
  const call = (
    nodeId: string,
    name: agent.OperationName,
    input: unknown,
    o: { signal: AbortSignal; requestId: string; onLog: OnLog },
  ) =>
    agents.runOperation(nodeId, name, input, {
      signal: o.signal,
      requestId: o.requestId,
      onLog: o.onLog,
    });
  registerSiteTasks(engine.registry, { db, settings, call });
  // dns-01: the account's zones on its nodes first, then its external providers (Cloudflare)
  const dnsProviders = dns01Sources(
    stewardZonesDns01({ db, engine }),
    dns01Of({ db, secrets, settings }),
  );
  // a renewed (or uploaded) certificate that mail serves too is installed there again
  // and FTPS (pure-ftpd) on the nodes that serve it
  const mailAfterInstall = reinstallMailCertificate({ db, engine: () => engine });
  const ftpAfterInstall = reinstallFtpCertificate({ db, engine: () => engine });
  const afterInstall = async (siteId: string) => {
    await mailAfterInstall(siteId);
    await ftpAfterInstall(siteId);
  };
  registerCertificateTasks(engine.registry, {
    db,
    settings,
    secrets,
    call,
    dnsProviders,
    afterInstall,
  });
  registerDnsTasks(engine.registry, {
    db,
    call,
    providers: providerHandles({ db, secrets, settings }),
  });
  registerMailTasks(engine.registry, { db, call });
  registerMailDkimTask(engine.registry, { db, call, engine: () => engine });
  const backupTaskDeps = {
    db,
    secrets,
    settings,
    call,
    enqueue: (spec, trx) => engine.enqueue(spec, trx),
  } satisfies BackupTaskDeps;
  registerBackupTasks(engine.registry, backupTaskDeps);
  registerRestoreTasks(engine.registry, backupTaskDeps);
  registerMonitorTasks(engine.registry, { db, settings });
  registerAppTasks(engine.registry, { db, secrets, call, settings, sites: () => sites() });
  registerSystemUserTasks(engine.registry, { db, call });
  registerFtpTlsTasks(engine.registry, { db, call });
  registerCronTasks(engine.registry, { db, call, secrets });
  const cmsOutbound = () => cmsPolicy(settings);
  const cmsUpgradeCtx: Ctx = {
    actor: systemActor("cms.upgrade"),
    grants: [],
    ip: null,
    requestId: null,
  };
  const cmsHosts = hostGate(settings.cmsHostConcurrency);
  registerCmsTasks(engine.registry, {
    db,
    secrets,
    policy: cmsOutbound,
    hosts: cmsHosts,
    abandonedMonths: settings.cmsAbandonedMonths,
  });
  registerPluginDirectoryTask(engine.registry, {
    db,
    policy: cmsOutbound,
    apiUrl: settings.wordpressPluginsApi,
    abandonedMonths: settings.cmsAbandonedMonths,
  });
  registerUpgradeTasks(engine.registry, {
    db,
    secrets,
    policy: cmsOutbound,
    engine,
    hosts: cmsHosts,
    chromium: settings.chromium,
    // a hosted site's restore point: its backup plan run, restored, by the system
    backups: {
      run: (planId) => backupPlans().run(cmsUpgradeCtx, planId),
      restore: (artifactId, target) =>
        backupArtifacts().restore(cmsUpgradeCtx, artifactId, { target, dryRun: false }),
    },
  });
  registerGithubTasks(engine.registry, { db, secrets, settings });
  registerFirewallTasks(engine.registry, { db, call });
  registerDatabaseTasks(engine.registry, {
    db,
    execute: createExecutor({
      secrets,
      agents: async () => agents,
      outbound: outboundOf(settings),
    }),
  });
  engine.registry.register(
    deliverTask({ db, secrets, settings, publicUrl, store: deps.templates }),
  );
  const listenUrl = db.dialect === "postgres" ? settings.databaseUrl : undefined;
  const dispatcher = once(() =>
    createDispatcher({
      db,
      rules: deps.rules(),
      enqueue: (spec, trx) => engine.enqueue(spec, trx),
      log,
      listenUrl,
    }),
  );
  const nodes = once(() =>
    createNodesService({
      db,
      pki,
      engine,
      publicUrl,
      install: createInstallService({ settings, publicUrl }),
    }),
  );
  const tasks = once(() => createTasksService({ db, engine }));
  const sites = once(() => createSitesService({ db, engine, settings }));
  const certificates = once(() =>
    createCertificatesService({ db, engine, dnsProviders, settings, call, afterInstall }),
  );
  const dns = once(() =>
    createDnsService({ db, engine, providers: providerHandles({ db, secrets, settings }) }),
  );
  const backupPlans = once(() => createPlansService({ db, secrets, engine }));
  const backupArtifacts = once(() =>
    createArtifactsService({ db, engine, secrets, settings, agents: async () => agents }),
  );
  const dashboard = once(() =>
    createDashboardService({ db, audit: audit(), backupPlans: backupPlans() }),
  );
  const node = nodeCaller(async () => agents);
  const apps = once(() => createAppsService({ db, secrets, engine, node, publicUrl }));
  const gitApps = once(() => createGitAppsService({ db, secrets, settings, apps }));
  const systemUsers = once(() => createSystemUsersService({ db, engine }));
  const ftpTls = once(() => createFtpTlsService({ db, engine }));
  const cron = once(() => createCronService({ db, engine, secrets, monitors: deps.monitors }));
  const appObserver = once(() => createAppObserver({ db, node, apps }));
  const appCompose = once(() => createComposeService({ db, secrets, apps }));
  const cms = once(() =>
    createCmsService({ db, secrets, engine, policy: cmsOutbound, sites: () => sites() }),
  );
  const cmsUpdates = once(() => createCmsUpdatesService({ db, engine }));
  const mail = once(() => createMailService({ db, engine }));
  const mailDkim = once(() =>
    createMailDkimService({ db, engine, settings, mustFind: domainFinder(db.db) }),
  );
  const firewall = once(() => createFirewallService({ db, engine }));
  return {
    engine,
    pki,
    agents,
    nodes,
    tasks,
    sites,
    certificates,
    dns,
    backupPlans,
    backupArtifacts,
    dashboard,
    apps,
    gitApps,
    systemUsers,
    ftpTls,
    cron,
    appObserver,
    appCompose,
    cms,
    cmsUpdates,
    mail,
    mailDkim,
    firewall,
    dispatcher,
    installDefaultTasks,
  };
}

export type EnginePart = ReturnType<typeof composeEngine>;
