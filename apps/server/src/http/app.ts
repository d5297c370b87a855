import "./types.ts";
import type { Server as HttpsServer } from "node:https";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import { jsonSchemaTransform, validatorCompiler } from "fastify-type-provider-zod";
import { accountsRoutes } from "../modules/accounts/routes.ts";
import { apiKeysRoutes } from "../modules/apikeys/routes.ts";
import { appComposeRoutes } from "../modules/apps/compose-routes.ts";
import { gitAppsRoutes } from "../modules/apps/git-routes.ts";
import { appsRoutes } from "../modules/apps/routes.ts";
import { auditRoutes } from "../modules/audit/routes.ts";
import { authRoutes } from "../modules/auth/routes.ts";
import { backupArtifactsRoutes } from "../modules/backups/artifacts-routes.ts";
import { backupPlansRoutes } from "../modules/backups/plans-routes.ts";
import { backupsRoutes } from "../modules/backups/routes.ts";
import { ensureStandIn } from "../modules/certificates/panel-files.ts";
import { startChallengeListener } from "../modules/certificates/panel-http.ts";
import { certificatesRoutes } from "../modules/certificates/routes.ts";
import { cmsRoutes } from "../modules/cms/routes.ts";
import { cmsUpdateRoutes } from "../modules/cms/update-routes.ts";
import { cronRoutes } from "../modules/cron/routes.ts";
import { dashboardRoutes } from "../modules/dashboard/routes.ts";
import { databaseConsoleRoutes } from "../modules/databases/console/routes.ts";
import { databasesRoutes } from "../modules/databases/routes.ts";
import { dnsRoutes } from "../modules/dns/routes.ts";
import { dnsProvidersRoutes } from "../modules/dns-providers/routes.ts";
import { eventsRoutes } from "../modules/events/routes.ts";
import { firewallRoutes } from "../modules/firewall/routes.ts";
import { githubRoutes } from "../modules/github/routes.ts";
import { grantsRoutes } from "../modules/grants/routes.ts";
import { groupsRoutes } from "../modules/groups/routes.ts";
import { installRoutes } from "../modules/install/routes.ts";
import { autoconfigRoutes } from "../modules/mail/autoconfig-routes.ts";
import { mailDkimRoutes } from "../modules/mail/dkim-routes.ts";
import { mailRoutes } from "../modules/mail/routes.ts";
import { mailSpamRoutes } from "../modules/mail/spam-routes.ts";
import { mailVirusRoutes } from "../modules/mail/virus-routes.ts";
import { registerMonitorMetrics } from "../modules/monitors/metrics.ts";
import { monitorsRoutes } from "../modules/monitors/routes.ts";
import { nodesRoutes } from "../modules/nodes/routes.ts";
import { notificationsRoutes } from "../modules/notifications/routes.ts";
import { notificationRulesRoutes } from "../modules/notifications/rules/routes.ts";
import { setupRoutes } from "../modules/setup/routes.ts";
import { sitesRoutes } from "../modules/sites/routes.ts";
import { statusPagesRoutes } from "../modules/status-pages/routes.ts";
import { systemRoutes } from "../modules/system/routes.ts";
import { systemUsersRoutes } from "../modules/system-users/routes.ts";
import { tasksRoutes } from "../modules/tasks/routes.ts";
import { tunnelsRoutes } from "../modules/tunnels/routes.ts";
import { usersRoutes } from "../modules/users/routes.ts";
import type { Services } from "../services.ts";
import { registerAdmission, registerAdmissionMetrics } from "./plugins/admission.ts";
import { registerAuditHook } from "./plugins/audit.ts";
import { registerCanonicalPath } from "./plugins/canonical-path.ts";
import { registerConsole } from "./plugins/console.ts";
import { clientErrorHandler, frameworkError, registerErrors } from "./plugins/errors.ts";
import { registerIdentity } from "./plugins/identity.ts";
import { createMetrics, registerMetrics } from "./plugins/metrics.ts";
import { genReqId } from "./plugins/request-id.ts";
import { registerSecurityHeaders } from "./plugins/security-headers.ts";
import { registerTaskMetrics } from "./plugins/task-metrics.ts";
import { serializerCompiler } from "./serializer.ts";
import { readTls, watchTls } from "./tls.ts";

export interface RouteInfo {
  method: string;
  url: string;
  public: boolean;
}

/** Every module's routes; a new module adds its line here. */
/** requests worked on at once; on PostgreSQL more than the pool's 10 connections */
export const ADMISSION_LIMIT = 16;

const modules = [
  setupRoutes,
  authRoutes,
  usersRoutes,
  accountsRoutes,
  groupsRoutes,
  grantsRoutes,
  apiKeysRoutes,
  auditRoutes,
  eventsRoutes,
  tasksRoutes,
  dashboardRoutes,
  nodesRoutes,
  installRoutes,
  sitesRoutes,
  notificationsRoutes,
  monitorsRoutes,
  certificatesRoutes,
  dnsProvidersRoutes,
  appsRoutes,
  gitAppsRoutes,
  appComposeRoutes,
  notificationRulesRoutes,
  dnsRoutes,
  databasesRoutes,
  databaseConsoleRoutes,
  statusPagesRoutes,
  backupsRoutes,
  backupPlansRoutes,
  cmsRoutes,
  cmsUpdateRoutes,
  githubRoutes,
  tunnelsRoutes,
  firewallRoutes,
  backupArtifactsRoutes,
  systemUsersRoutes,
  mailRoutes,
  mailDkimRoutes,
  autoconfigRoutes,
  mailSpamRoutes,
  mailVirusRoutes,
  cronRoutes,
];

export async function buildApp(
  svc: Services,
): Promise<{ app: FastifyInstance; routes: RouteInfo[] }> {
  // the panel's own HTTPS (STEWARD_TLS_CERT/KEY, or its own domain's: a self-signed stand-in
  // until the CA's is installed), reloaded when the files change
  await ensureStandIn(svc.settings);
  const tls = readTls(svc.settings);
  const app = Fastify({
    ...(tls ? { https: { cert: tls.cert, key: tls.key } } : {}),
    loggerInstance: svc.log as FastifyBaseLogger,
    genReqId,
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: "requestId" }),
    bodyLimit: svc.settings.bodyLimit,
    trustProxy: svc.settings.trustProxy.length ? svc.settings.trustProxy : false,
    routerOptions: { maxParamLength: 200 },
    frameworkErrors: frameworkError,
    clientErrorHandler,
  }) as unknown as FastifyInstance;
  if (tls) {
    const stop = watchTls(app.server as unknown as HttpsServer, svc.settings, svc.log);
    app.addHook("onClose", async () => stop());
  }
  // STEWARD_TLS_DOMAIN: the CA's http-01 challenges and a redirect to HTTPS on the plain port
  const challenges = await startChallengeListener(svc.settings);
  if (challenges)
    app.addHook("onClose", async () => {
      challenges.closeAllConnections();
      await new Promise((r) => challenges.close(r));
    });
  // Bodies are JSON only: anything else is 415, not a string that fails validation later.
  app.removeContentTypeParser("text/plain");
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // first of all hooks: nothing sees a path that could be read two ways
  registerCanonicalPath(app);

  // first of the onRequest hooks: nothing is worked on before its turn
  const admission = registerAdmission(app, ADMISSION_LIMIT);
  const routes: RouteInfo[] = [];
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === "HEAD") continue;
      routes.push({ method, url: route.url, public: route.config?.auth === "public" });
    }
  });

  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  registerErrors(app, await registerConsole(app, svc.settings.consoleDir));
  registerSecurityHeaders(app);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: { title: "Steward API", version: "1" },
      components: {
        securitySchemes: {
          apiKey: { type: "http", scheme: "bearer" },
          session: { type: "apiKey", in: "cookie", name: "steward.session_token" },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  const metrics = createMetrics();
  registerMetrics(app, metrics);
  registerTaskMetrics(metrics.registry, svc);
  registerMonitorMetrics(metrics.registry, svc);
  registerAdmissionMetrics(metrics.registry, admission);
  registerIdentity(app, svc);
  registerAuditHook(app, svc);

  systemRoutes(app, svc, metrics);
  for (const register of modules) register(app, svc);
  await app.ready();
  return { app, routes };
}
