// Composition root of `steward serve`: config -> db -> services -> http.

import { systemActor } from "./access/types.ts";
import type { LocalAgent, StartLocalAgent } from "./agents/local.ts";
import { ConfigError } from "./config/load.ts";
import type { Settings } from "./config/schema.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { openDatabase } from "./db/open.ts";
import { postgresBeforeMigrating } from "./db/pre-migration.ts";
import { buildApp } from "./http/app.ts";
import { createLogger, logFileOf } from "./log.ts";
import { findByName } from "./modules/nodes/repo.ts";
import { createServices, publicUrlOf } from "./services.ts";

/** The roles this process plays: "all" is api, worker and scheduler in one process. */
export function rolesOf(settings: Settings, dialect: string): Set<"api" | "worker" | "scheduler"> {
  const roles =
    settings.roles === "all" ? ["api", "worker", "scheduler"] : settings.roles.split(",");
  if (dialect === "sqlite" && settings.roles !== "all") {
    throw new ConfigError(
      "invalid setting STEWARD_ROLES: splitting roles needs PostgreSQL (STEWARD_DATABASE_URL)",
    );
  }
  return new Set(roles as ("api" | "worker" | "scheduler")[]);
}

export interface ServeOptions {
  /** starts this machine's agent (the CLI passes it; without it there is no local agent) */
  startLocalAgent?: StartLocalAgent;
}

export async function serve(settings: Settings, options: ServeOptions = {}) {
  const log = createLogger(settings);
  const db = openDatabase(settings);
  const roles = rolesOf(settings, db.dialect);
  const applied = await migrateToLatest(
    db,
    postgresBeforeMigrating(settings, {
      warn: (m) => log.warn(m),
      info: (m) => log.info(m),
    }),
  );
  if (applied.length) log.info({ migrations: applied }, "database migrated");
  const svc = await createServices(settings, db, log);
  const app = roles.has("api") ? (await buildApp(svc)).app : null;
  if (roles.has("worker")) svc.engine.startWorker();
  if (roles.has("worker")) await svc.monitorScheduler.start();
  // STEWARD_TLS_DOMAIN: the panel's own certificate is ordered now while a stand-in is served
  if (settings.tlsDomain && app) {
    const { orderPanelAtStart } = await import("./modules/certificates/panel-scan.ts");
    await orderPanelAtStart(settings, db, async (spec) => (await svc.engine.enqueue(spec)).task);
  }
  // Every process reaps expired leases, whatever its roles: the tasks of a worker killed
  // mid-run come back as long as any panel process lives (the reaping is conditional on
  // the lease, so several processes doing it at once change each task once).
  svc.engine.startScheduler();
  // a panel upgraded from an older release gets the default tasks added since
  if (roles.has("scheduler")) {
    const { addMissingDefaultTasks } = await import("./engine/builtin/install.ts");
    const added = await addMissingDefaultTasks(svc.engine, db.db);
    if (added.length) log.info({ tasks: added }, "default tasks added");
  }
  // one process of the installation dispatches events at a time (a lease); any may take over
  svc.dispatcher.start();
  const where = `database ${db.where}, data in ${settings.dataDir}, roles ${[...roles].join(",")}`;
  if (app) {
    await app.listen({ port: settings.port, host: settings.listen });
    const scheme = settings.tlsCert || settings.tlsDomain ? "https" : "http";
    const url = `${scheme}://${settings.listen.includes(":") ? `[${settings.listen}]` : settings.listen}:${settings.port}`;
    process.stderr.write(`steward: serving ${url} (${where})\n`);
    const token = await svc.setup.issueToken();
    if (token) {
      log.warn(
        { setupToken: token },
        "no user exists yet: create the first super user with this setup token",
      );
      process.stderr.write(
        `steward: first run. Create the first super user with\n  curl -X POST ${url}/api/v1/setup -H 'content-type: application/json' -d '{"token":"${token}","email":"you@example.com","password":"a long password"}'\n  or open the console: ${publicUrlOf(settings)}/setup?token=${token}\n  or: npx steward user create --super --email you@example.com\n`,
      );
    }
  } else {
    process.stderr.write(`steward: running (${where})\n`);
  }
  const start = options.startLocalAgent;
  const localAgent =
    app && settings.localAgent && start ? await runLocalAgent(settings, svc, start) : null;
  // an outside logrotate(8) renames the file, then sends SIGHUP: new lines go to a fresh file
  const logFile = logFileOf(log);
  const reopenLog = () => logFile?.reopen();
  if (logFile) process.on("SIGHUP", reopenLog);
  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    process.off("SIGHUP", reopenLog);
    log.info({ signal }, "shutting down");
    await localAgent?.stop();
    await app?.close();
    await svc.monitorScheduler.stop();
    await svc.dispatcher.stop();
    await svc.engine.stop();
    await db.close();
  };
  process.once("SIGINT", () => void close("SIGINT"));
  process.once("SIGTERM", () => void close("SIGTERM"));
  return { app, svc, close };
}

/** The agent of this machine (node "local"), enrolled through the public enrollment path. */
async function runLocalAgent(
  settings: Settings,
  svc: Awaited<ReturnType<typeof createServices>>,
  startLocalAgent: StartLocalAgent,
): Promise<LocalAgent | null> {
  const ctx = { actor: systemActor("local-agent"), grants: [], ip: null, requestId: "local-agent" };
  const host =
    settings.listen === "0.0.0.0" || settings.listen === "::" ? "127.0.0.1" : settings.listen;
  try {
    return await startLocalAgent({
      dataDir: settings.dataDir,
      panelUrl: `http://${host.includes(":") ? `[${host}]` : host}:${settings.port}`,
      port: settings.localAgentPort,
      log: svc.log.child({ component: "local-agent" }),
      async ensureNode(agentUrl) {
        const found = await findByName(svc.db.db, "local");
        if (found) return { id: found.id, enrolled: found.state !== "pending" };
        const node = await svc.nodes.create(ctx, { name: "local", agentUrl, local: true });
        return { id: node.id, enrolled: false };
      },
      enrollmentToken: async (nodeId) => (await svc.nodes.enrollmentToken(ctx, nodeId)).token,
    });
  } catch (err) {
    svc.log.error({ err }, "the local agent could not start; the panel runs without it");
    return null;
  }
}
