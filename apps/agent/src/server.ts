// `steward agent`: the mTLS HTTPS server. TLS accepts only clients with a certificate from
// the installation's CA; each request must then come from the panel's certificate and carry
// a token for this node and this route (server/auth.ts). Routes: health, facts, metrics,
// operations (NDJSON), certificate rotation, reading a backup artifact of a node's directory.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { certInstallRequest } from "@steward/contracts/agent";
import pino, { type Logger } from "pino";
import type { AgentConfig } from "./config.ts";
import { collectFacts } from "./facts.ts";
import { LoadReader } from "./load.ts";
import { spoolEntries } from "./ops/cron/spool.ts";
import { staleCronAccounts } from "./ops/cron/stale.ts";
import { startFirewall, stopFirewall } from "./ops/firewall/index.ts";
import { KeyedLock } from "./ops/lock.ts";
import { ARTIFACT_READ_PATH, handleArtifactRead } from "./server/artifact-route.ts";
import { checkPeer, panelIdentity, TokenVerifier } from "./server/auth.ts";
import { CertRotation } from "./server/cert.ts";
import {
  HttpError,
  readJson,
  requestIdOf,
  sendError,
  sendJson,
  validationError,
} from "./server/http.ts";
import { AgentMetrics } from "./server/metrics.ts";
import { handleOp } from "./server/ops-route.ts";
import { loadTls, secondsLeft, secureContextOptions } from "./server/tls.ts";
import { pendingUpgrade } from "./upgrade/confirm.ts";
import { AGENT_VERSION } from "./version.ts";

export { AGENT_VERSION };

export interface AgentServer {
  server: Server;
  port: number;
  /** stops accepting; lets running operations finish for graceMs, then cancels them */
  close(graceMs?: number): Promise<void>;
}

type Route = {
  subject: string;
  run: (req: IncomingMessage, res: ServerResponse, requestId: string, log: Logger) => Promise<void>;
};

export async function startAgent(
  config: AgentConfig,
  opts: {
    logger?: Logger;
    /** after an upgrade's answer (agent.upgrade): the run command restarts into the new binary */
    onRestart?: () => void;
  } = {},
): Promise<AgentServer> {
  const log = opts.logger ?? pino({ level: config.logLevel, base: { name: "steward-agent" } });
  const tls = loadTls(config);
  const panel = await panelIdentity(tls.panel, tls.panelCertificate);
  const verifier = new TokenVerifier(panel, config.nodeId);
  const metrics = new AgentMetrics();
  const load = new LoadReader();
  const rotation = new CertRotation(config, tls);
  const shutdown = new AbortController();
  const started = Date.now();
  const running = new Set<Promise<unknown>>();
  const upgrade = pendingUpgrade(log, config.upgradeConfirmSeconds, AGENT_VERSION);
  const restart = () => opts.onRestart?.();
  const deps = { config, lock: new KeyedLock(), metrics, shutdown: shutdown.signal, restart };

  const route = (method: string, path: string): Route | HttpError => {
    const get = method === "GET";
    const post = method === "POST";
    if (path === "/v1/health" && get)
      return {
        subject: "health",
        run: async (_q, res) =>
          sendJson(res, 200, {
            ok: true,
            version: AGENT_VERSION,
            uptimeSeconds: Math.floor((Date.now() - started) / 1000),
            nodeId: config.nodeId,
            certificateExpiresIn: secondsLeft(tls.certificate),
            load: await load.read(),
            cronRuns: (await spoolEntries(config)).length,
            cronStale: await staleCronAccounts(config),
          }),
      };
    if (path === "/v1/facts" && get)
      return {
        subject: "facts",
        run: async (_q, res) => sendJson(res, 200, await collectFacts(config)),
      };
    if (path === "/metrics" && get)
      return {
        // the contract's subjects are health, facts, op:<name> and cert: metrics is health's
        subject: "health",
        run: async (_q, res) => {
          res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
          res.end(metrics.render(secondsLeft(tls.certificate)));
        },
      };
    if (path.startsWith("/v1/ops/") && post) {
      const name = path.slice("/v1/ops/".length);
      return { subject: `op:${name}`, run: (q, res, id, l) => handleOp(name, q, res, id, l, deps) };
    }
    if (path === ARTIFACT_READ_PATH && get)
      return { subject: "backup-read", run: (q, res) => handleArtifactRead(q, res) };
    if (path === "/v1/cert/csr" && post)
      return { subject: "cert", run: async (_q, res) => sendJson(res, 200, await rotation.csr()) };
    if (path === "/v1/cert/install" && post)
      return {
        subject: "cert",
        run: async (q, res, _id, l) => {
          const body = certInstallRequest.safeParse(await readJson(q));
          if (!body.success) throw validationError(body.error.issues, "body");
          const installed = await rotation.install(server, body.data.certificate);
          l.info(installed, "installed a new certificate");
          sendJson(res, 200, installed);
        },
      };
    const known = [
      "/v1/health",
      "/v1/facts",
      "/metrics",
      "/v1/cert/csr",
      "/v1/cert/install",
      ARTIFACT_READ_PATH,
    ];
    if (known.includes(path) || path.startsWith("/v1/ops/"))
      return new HttpError("METHOD_NOT_ALLOWED", `${method} is not allowed on ${path}`);
    return new HttpError("NOT_FOUND", "no such route");
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = requestIdOf(req);
    const rlog = log.child({ reqId: requestId });
    const t0 = performance.now();
    res.setHeader("x-request-id", requestId);
    try {
      const path = new URL(req.url ?? "/", "https://agent").pathname;
      const r = route(req.method ?? "GET", path);
      if (r instanceof HttpError) throw r;
      checkPeer(req.socket as TLSSocket, panel);
      await verifier.verify(req.headers.authorization, r.subject);
      upgrade.confirm();
      metrics.requests++;
      await r.run(req, res, requestId, rlog);
    } catch (e) {
      if (e instanceof HttpError) {
        if (!res.headersSent) sendError(res, requestId, e);
        else res.end();
      } else {
        rlog.error({ err: e }, "request failed");
        if (!res.headersSent)
          sendError(res, requestId, new HttpError("INTERNAL", "internal error"));
        else res.end();
      }
    } finally {
      rlog.info(
        {
          method: req.method,
          url: req.url,
          status: res.statusCode,
          ms: Math.round(performance.now() - t0),
        },
        "request",
      );
    }
  };

  const server = createServer(
    { ...secureContextOptions(tls), requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const p = handle(req, res);
      running.add(p);
      void p.finally(() => running.delete(p));
    },
  );
  server.on("tlsClientError", (e) => log.debug({ err: e.message }, "TLS handshake refused"));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.listen.port, config.listen.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ nodeId: config.nodeId, host: config.listen.host, port }, "agent listening");
  // a firewall apply left unconfirmed by the previous process reverts in time; bans resume
  await startFirewall(config, (level, message) => log[level](message));

  return {
    server,
    port,
    async close(graceMs = 20_000) {
      upgrade.stop();
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      const drained = Promise.allSettled([...running]);
      const timer = new Promise((r) => setTimeout(r, graceMs).unref());
      await Promise.race([drained, timer]);
      shutdown.abort();
      stopFirewall(config);
      await Promise.allSettled([...running]);
      server.closeAllConnections();
      await closed;
      log.info("agent stopped");
    },
  };
}
