// Composition of the services every entry point (HTTP, CLI, workers) uses. Each service is
// made when first used (a getter), and the two parts that need large libraries load then:
// better-auth (services-auth.ts) and the task engine with the nodes' PKI (services-engine.ts).
// The panel and the tests take createServices, which loads both; the CLI opens the services
// (openServices) and a command loads only what it uses: `steward user list` neither.
import type { Logger } from "pino";
import { createActorCache } from "./access/actor-cache.ts";
import type { Settings } from "./config/schema.ts";
import { holdsSealedData, verifyMasterKey } from "./crypto/key-check.ts";
import { loadMasterKey, masterKeyFile } from "./crypto/master-key.ts";
import { createSecrets, type Secrets } from "./crypto/secrets.ts";
import type { Db } from "./db/open.ts";
import { lazily, once } from "./lib/once.ts";
import { createAccountsService } from "./modules/accounts/service.ts";
import { createApiKeysService } from "./modules/apikeys/service.ts";
import { createKeyVerifier } from "./modules/apikeys/verify.ts";
import { createAuditService } from "./modules/audit/service.ts";
import { createExplorerService } from "./modules/backups/explorer-service.ts";
import { createBackupsService } from "./modules/backups/service.ts";
import { createSourcesService } from "./modules/backups/sources-service.ts";
import { createDatabaseConsoleService } from "./modules/databases/console/service.ts";
import { createDatabaseItemsService } from "./modules/databases/databases-service.ts";
import { createExecutor, outboundOf } from "./modules/databases/executor.ts";
import { createDatabasesService } from "./modules/databases/service.ts";
import { createDatabaseUsersService } from "./modules/databases/users-service.ts";
import { createDnsProvidersService } from "./modules/dns-providers/service.ts";
import { createEventsService } from "./modules/events/service.ts";
import { createGithubService } from "./modules/github/service.ts";
import { createGithubSignIn } from "./modules/github/sign-in.ts";
import { createGrantsService } from "./modules/grants/service.ts";
import { createGroupsService } from "./modules/groups/service.ts";
import { createInstallService } from "./modules/install/service.ts";
import { composeMonitors } from "./modules/monitors/compose.ts";
import { createDeliveriesService } from "./modules/notifications/dispatch/service.ts";
import { createRuleCache } from "./modules/notifications/rules/cache.ts";
import { createRulesService } from "./modules/notifications/rules/service.ts";
import { createChannelsService } from "./modules/notifications/service.ts";
import { createTemplateStore } from "./modules/notifications/template-store.ts";
import { createTemplatesService } from "./modules/notifications/templates-service.ts";
import { createSetupService } from "./modules/setup/service.ts";
import { composeStatusPages } from "./modules/status-pages/compose.ts";
import { createTunnelsService } from "./modules/tunnels/service.ts";
import { createUsersService } from "./modules/users/service.ts";
import type { AuthPart } from "./services-auth.ts";
import type { EnginePart } from "./services-engine.ts";

export function publicUrlOf(settings: Settings): string {
  if (settings.publicUrl) return settings.publicUrl;
  // the panel's own domain (STEWARD_TLS_DOMAIN) is where it is reached
  if (settings.tlsDomain)
    return `https://${settings.tlsDomain}${settings.port === 443 ? "" : `:${settings.port}`}`;
  return `${settings.tlsCert ? "https" : "http"}://localhost:${settings.port}`;
}

/**
 * Without a configured public URL the panel is reached on this machine: as localhost (the
 * default public URL) or by its loopback address, and sign-in must work from both.
 */
function loopbackOrigins(settings: Settings): string[] {
  if (settings.publicUrl) return [];
  const scheme = settings.tlsCert || settings.tlsDomain ? "https" : "http";
  return [`${scheme}://127.0.0.1:${settings.port}`, `${scheme}://[::1]:${settings.port}`];
}

/** The panel's services, all parts loaded: what the HTTP API, workers and tests use. */
export async function createServices(settings: Settings, db: Db, log: Logger) {
  const svc = await openServices(settings, db, () => log);
  await svc.load("auth", "engine");
  return svc;
}

/**
 * The services, each made when first used. `auth`, `sessionTokenOf` and the engine's services
 * (engine, pki, agents, nodes, tasks, sites, dashboard) need their part loaded first
 * (`await svc.load(...)`); users and API keys load better-auth themselves when they hash a
 * password or create a key. `logOf` is called when something first logs; `onEngine` when the
 * engine is made (the CLI's extensions register their task kinds).
 */
export async function openServices(
  settings: Settings,
  db: Db,
  logOf: () => Logger,
  { onEngine }: { onEngine?: (engine: EnginePart["engine"]) => void } = {},
) {
  // a database holding sealed data needs its own key: never a new one (crypto/key-check.ts)
  const sealedIn = (await holdsSealedData(db.db)) ? db.where : undefined;
  const masterKey = loadMasterKey(settings.dataDir, settings.masterKey, sealedIn);
  const secrets: Secrets = createSecrets(masterKey);
  const log = once(logOf);
  const publicUrl = publicUrlOf(settings);
  const monitorsPart = once(() =>
    composeMonitors({
      db,
      settings,
      log: log(),
      publicUrl,
      // the nodes' checks go through the engine's agent client, loaded at a node's first check
      runOperation: async () => (await enginePart()).agents.runOperation,
    }),
  );
  const statusPagesPart = once(() => composeStatusPages({ db }));
  /** the parts made so far (by svc.load, or by a service that needed one) */
  const loaded: { auth?: AuthPart; engine?: EnginePart } = {};
  const authPart = once(async (): Promise<AuthPart> => {
    const { composeAuth } = await import("./services-auth.ts");
    loaded.auth = await composeAuth(
      {
        db,
        secret: secrets.derive("better-auth").toString("base64url"),
        publicUrl,
        extraOrigins: loopbackOrigins(settings),
        log: log(),
      },
      { settings, signIn: githubSignIn() },
    );
    return loaded.auth;
  });
  const githubSignIn = once(() => createGithubSignIn({ db, secrets, publicUrl }));
  const enginePart = once(async (): Promise<EnginePart> => {
    const { composeEngine } = await import("./services-engine.ts");
    loaded.engine = composeEngine({
      settings,
      db,
      log: log(),
      secrets,
      publicUrl,
      audit,
      rules: ruleCache,
      templates: templateStore,
      monitors: () => monitorsPart().service,
    });
    onEngine?.(loaded.engine.engine);
    return loaded.engine;
  });
  await verifyMasterKey({
    db: db.db,
    secrets,
    authSecret: async () => (await authPart()).context.secretConfig,
    keySource: settings.masterKey ? "STEWARD_MASTER_KEY" : masterKeyFile(settings.dataDir),
    where: db.where,
  });
  /** a loaded part, or a programming error naming what to load */
  const part = <K extends keyof typeof loaded>(name: K) => {
    const value = loaded[name];
    if (!value)
      throw new Error(`the services' ${name} part is not loaded: await svc.load("${name}")`);
    return value as NonNullable<(typeof loaded)[K]>;
  };
  const actors = once(() =>
    createActorCache({
      db,
      listenUrl: db.dialect === "postgres" ? settings.databaseUrl : undefined,
    }),
  );
  const users = once(() =>
    createUsersService({
      db,
      remember: actors().remember,
      hashPassword: async (p) => (await authPart()).context.password.hash(p),
      onFirstSuper: async (trx) => {
        const { engine, installDefaultTasks } = await enginePart();
        await installDefaultTasks(engine, trx);
      },
    }),
  );
  const audit = once(() => createAuditService({ db }));
  /** what the database services share: the one executor of database actions */
  const databaseDeps = once(() => {
    const agents = async () => (await enginePart()).agents;
    return {
      db,
      secrets,
      settings,
      agents,
      execute: createExecutor({ secrets, agents, outbound: outboundOf(settings) }),
    };
  });
  /** the installation's message templates, kept in memory for the renderers */
  const templateStore = once(() => createTemplateStore(db));
  /** the enabled notification rules, kept in memory for the dispatcher */
  const ruleCache = once(() => createRuleCache(db.db));
  const parts = {
    /** loads parts of the services (both when none is named); each loads once */
    async load(...names: ("auth" | "engine")[]) {
      for (const name of names.length ? names : (["auth", "engine"] as const)) {
        await (name === "auth" ? authPart() : enginePart());
      }
    },
    /** whether a part is made (the CLI stops the engine only when a command made one) */
    isLoaded: (name: "auth" | "engine") => loaded[name] !== undefined,
    settings,
    /** where the console's pages come from: cookie-authenticated changes must come from here */
    consoleOrigins: [new URL(publicUrl).origin, ...loopbackOrigins(settings)],
    db,
    secrets,
  };
  // each made on first read
  return Object.assign(
    lazily({
      log,
      auth: () => part("auth").auth,
      /** the task engine: enqueue, registry, workers and scheduler */
      engine: () => part("engine").engine,
      users,
      setup: () => createSetupService({ db, users: users() }),
      accounts: () => createAccountsService({ db }),
      groups: () => createGroupsService({ db }),
      grants: () => createGrantsService({ db }),
      apiKeys: () => createApiKeysService({ db, auth: async () => (await authPart()).auth }),
      /** authenticates an API key with one read (identity plugin) */
      verifyApiKey: () => createKeyVerifier(db, log()),
      /** the token of a request's signed session cookie (identity plugin) */
      sessionTokenOf: () => part("auth").sessionTokenOf,
      /** resolved callers by credential, for seconds; the identity plugin closes it */
      actors,
      audit,
      /** the domain events (issue 12): list and read */
      events: () => createEventsService({ db }),
      /** the task API of users (HTTP, CLI): what svc.engine does, with access rules */
      tasks: () => part("engine").tasks(),
      dashboard: () => part("engine").dashboard(),
      /** turns recorded events into deliveries (one per installation: a lease) */
      dispatcher: () => part("engine").dispatcher(),
      ruleCache,
      pki: () => part("engine").pki,
      /** requests to nodes' agents (from tasks only) */
      agents: () => part("engine").agents,
      nodes: () => part("engine").nodes(),
      /** the installer and the single-file agent's builds (docs/install.md) */
      install: () => createInstallService({ settings, publicUrl }),
      sites: () => part("engine").sites(),
      /** notification channels (send test) and message templates */
      channels: () =>
        createChannelsService({ db, secrets, settings, publicUrl, store: templateStore() }),
      templates: () => createTemplatesService({ db, store: templateStore() }),
      monitors: () => monitorsPart().service,
      /** this process's monitor checks (started with the worker role) */
      monitorScheduler: () => monitorsPart().scheduler,
      certificates: () => part("engine").certificates(),
      /** authoritative DNS zones and their records */
      dns: () => part("engine").dns(),
      /** an account's DNS providers for dns-01 (Cloudflare tokens, sealed) */
      dnsProviders: () => createDnsProvidersService({ db, secrets, settings }),
      /** status pages (issue 12) and the public pages' cache */
      statusPages: () => statusPagesPart().service,
      publicStatus: () => statusPagesPart().public,
      /** notification rules (the dispatcher's cache is told of changes) and the emergency contact */
      rules: () => createRulesService({ db, cache: ruleCache() }),
      /** the delivery log of a channel */
      deliveries: () => createDeliveriesService({ db }),
      /** database servers (issue 14): external ones reached from the panel, a node's by its agent */
      databases: () => createDatabasesService(databaseDeps()),
      /** databases and users on those servers (issue 14) */
      databaseItems: () => createDatabaseItemsService(databaseDeps()),
      databaseUsers: () => createDatabaseUsersService(databaseDeps()),
      /** the SQL console of a database (issue 14) and one's history of it */
      databaseConsole: () => createDatabaseConsoleService(databaseDeps()),
      /** backup destinations (issue 15), tested from the panel */
      backups: () =>
        createBackupsService({
          db,
          secrets,
          settings,
          // a node's directory is tested by its agent, through the engine's client
          runOperation: async () => (await enginePart()).agents.runOperation,
        }),
      /** the storage explorer: a destination's objects, artifact delete and import (issue 15) */
      backupExplorer: () =>
        createExplorerService({
          db,
          secrets,
          settings,
          runOperation: async () => (await enginePart()).agents.runOperation,
        }),
      /** what backups read: directories, databases, servers, MongoDB (issue 15) */
      backupSources: () => {
        const { execute } = databaseDeps();
        return createSourcesService({ db, secrets, execute });
      },
      /** backup plans, their runs (tasks on the nodes) and artifacts (issue 15) */
      backupPlans: () => part("engine").backupPlans(),
      /** apps in containers (issue 16): quick services, their deploys and lifecycle */
      apps: () => part("engine").apps(),
      /** apps built from git repositories: create, webhook (issue 16) */
      gitApps: () => part("engine").gitApps(),
      /** apps' logs and stats, and a node's engine (containers, disk usage, prune) */
      appObserver: () => part("engine").appObserver(),
      /** hosting accounts' system users on nodes: SFTP, FTP, CGI users (issue 19) */
      systemUsers: () => part("engine").systemUsers(),
      /** the certificate each node's FTPS (pure-ftpd) serves, from the certificates capability */
      ftpTls: () => part("engine").ftpTls(),
      /** hosting accounts' cron jobs, run as their system users (issue 19) */
      cron: () => part("engine").cron(),
      /** compose apps, the one-click catalog and what compose files may ask of a node */
      appCompose: () => part("engine").appCompose(),
      /** the CMS site fleet (issue 17): WordPress sites through the connector */
      cms: () => part("engine").cms(),
      /** the CMS fleet's update policies, history and bulk updates (issue 17) */
      cmsUpdates: () => part("engine").cmsUpdates(),
      /** mail hosting (issue 18): domains, mailboxes and aliases on nodes' Postfix and Dovecot */
      mail: () => part("engine").mail(),
      /** mail domains' DKIM keys, their DNS records and the live check of them (issue 18) */
      mailDkim: () => part("engine").mailDkim(),
      /** the GitHub App, the template catalog and generated repositories (issue 16) */
      github: () =>
        createGithubService({ db, secrets, settings, engine: () => part("engine").engine }),
      /** sign in with GitHub: its settings (super users) and whether it is on (issue 16) */
      githubSignIn,
      /** better-auth's GitHub provider, read again before each of its endpoints */
      githubProvider: () => part("auth").githubProvider,
      /** the nodes' Cloudflare tunnels and the hostnames forwarded through them (issue 16) */
      tunnels: () =>
        createTunnelsService({
          db,
          secrets,
          settings,
          agents: async () => (await enginePart()).agents,
        }),
      /** the nodes' firewalls (issue 19): rules, safe apply, unblock */
      firewall: () => part("engine").firewall(),
      /** restores and test restores of artifacts, tasks on the nodes (issue 15) */
      backupArtifacts: () => part("engine").backupArtifacts(),
    }),
    parts,
  );
}

export type Services = Awaited<ReturnType<typeof openServices>>;
