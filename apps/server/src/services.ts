// Composition of the services every entry point (HTTP, CLI, workers) uses.
import type { Logger } from "pino";
import { createActorCache } from "./access/actor-cache.ts";
import { createAgentClient } from "./agents/client.ts";
import { type Auth, createAuth } from "./auth/better-auth.ts";
import { createSessionCookieReader } from "./auth/session-cookie.ts";
import type { Settings } from "./config/schema.ts";
import { holdsSealedData, verifyMasterKey } from "./crypto/key-check.ts";
import { loadMasterKey, masterKeyFile } from "./crypto/master-key.ts";
import { createSecrets, type Secrets } from "./crypto/secrets.ts";
import type { Db } from "./db/open.ts";
import { registerBuiltins } from "./engine/builtin/index.ts";
import { installDefaultTasks } from "./engine/builtin/install.ts";
import { createEngine, defaultEngineOptions } from "./engine/engine.ts";
import { logFileOf } from "./log.ts";
import { createAccountsService } from "./modules/accounts/service.ts";
import { createApiKeysService } from "./modules/apikeys/service.ts";
import { createKeyVerifier } from "./modules/apikeys/verify.ts";
import { createAuditService } from "./modules/audit/service.ts";
import { createDashboardService } from "./modules/dashboard/service.ts";
import { createGrantsService } from "./modules/grants/service.ts";
import { createGroupsService } from "./modules/groups/service.ts";
import { createNodesService } from "./modules/nodes/service.ts";
import { registerNodeTasks } from "./modules/nodes/tasks.ts";
import { createSetupService } from "./modules/setup/service.ts";
import { createSitesService } from "./modules/sites/service.ts";
import { registerSiteTasks } from "./modules/sites/tasks.ts";
import { createTasksService } from "./modules/tasks/service.ts";
import { createUsersService } from "./modules/users/service.ts";
import { createPkiStore } from "./pki/store.ts";

export function publicUrlOf(settings: Settings): string {
  return settings.publicUrl ?? `http://localhost:${settings.port}`;
}

/**
 * Without a configured public URL the panel is reached on this machine: as localhost (the
 * default public URL) or by its loopback address, and sign-in must work from both.
 */
function loopbackOrigins(settings: Settings): string[] {
  if (settings.publicUrl) return [];
  return [`http://127.0.0.1:${settings.port}`, `http://[::1]:${settings.port}`];
}

export async function createServices(settings: Settings, db: Db, log: Logger) {
  // a database holding sealed data needs its own key: never a new one (crypto/key-check.ts)
  const sealedIn = (await holdsSealedData(db.db)) ? db.where : undefined;
  const masterKey = loadMasterKey(settings.dataDir, settings.masterKey, sealedIn);
  const secrets: Secrets = createSecrets(masterKey);
  const auth: Auth = await createAuth({
    db,
    secret: secrets.derive("better-auth").toString("base64url"),
    publicUrl: publicUrlOf(settings),
    extraOrigins: loopbackOrigins(settings),
    log,
  });
  /** where the console's pages come from: cookie-authenticated changes must come from here */
  const consoleOrigins = [new URL(publicUrlOf(settings)).origin, ...loopbackOrigins(settings)];
  const authContext = await auth.$context;
  await verifyMasterKey({
    db: db.db,
    secrets,
    authSecret: authContext.secretConfig,
    keySource: settings.masterKey ? "STEWARD_MASTER_KEY" : masterKeyFile(settings.dataDir),
    where: db.where,
  });
  const engine = createEngine(db, log, {
    ...defaultEngineOptions,
    concurrency: settings.workerConcurrency,
    leaseMs: settings.taskLeaseSeconds * 1000,
    stallAfterMs: settings.schedulerStallSeconds * 1000,
    listenUrl: db.dialect === "postgres" ? settings.databaseUrl : undefined,
  });
  registerBuiltins(engine.registry, { db, settings, log, logFile: logFileOf(log) });
  const pki = createPkiStore({ db: db.db, secrets });
  registerNodeTasks(engine.registry, { db, pki });
  const agents = createAgentClient({ db, pki });
  registerSiteTasks(engine.registry, {
    db,
    settings,
    call: (nodeId, name, input, o) =>
      agents.runOperation(nodeId, name, input, {
        signal: o.signal,
        requestId: o.requestId,
        onLog: o.onLog,
      }),
  });
  const actors = createActorCache({
    db,
    listenUrl: db.dialect === "postgres" ? settings.databaseUrl : undefined,
  });
  const users = createUsersService({
    db,
    remember: actors.remember,
    hashPassword: (p) => authContext.password.hash(p),
    onFirstSuper: (trx) => installDefaultTasks(engine, trx),
  });
  const audit = createAuditService({ db });
  return {
    settings,
    consoleOrigins,
    db,
    log,
    secrets,
    auth,
    /** the task engine: enqueue, registry, workers and scheduler */
    engine,
    users,
    setup: createSetupService({ db, users }),
    accounts: createAccountsService({ db }),
    groups: createGroupsService({ db }),
    grants: createGrantsService({ db }),
    apiKeys: createApiKeysService({ db, auth }),
    /** authenticates an API key with one read (identity plugin) */
    verifyApiKey: createKeyVerifier(db, log),
    /** the token of a request's signed session cookie (identity plugin) */
    sessionTokenOf: createSessionCookieReader(auth),
    /** resolved callers by credential, for seconds; the identity plugin closes it */
    actors,
    audit,
    /** the task API of users (HTTP, CLI): what svc.engine does, with access rules */
    tasks: createTasksService({ db, engine }),
    dashboard: createDashboardService({ db, registry: engine.registry, audit }),
    pki,
    /** requests to nodes' agents (from tasks only) */
    agents,
    nodes: createNodesService({ db, pki, engine, publicUrl: publicUrlOf(settings) }),
    sites: createSitesService({ db, engine, settings }),
  };
}

export type Services = Awaited<ReturnType<typeof createServices>>;
