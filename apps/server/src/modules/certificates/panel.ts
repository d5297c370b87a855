// The panel's own certificate (STEWARD_TLS_DOMAIN), as its task `certificate.panel` obtains
// or renews it:
//   1. a new key made by the panel (ECDSA P-256) and a CSR for the domain
//   2. the ACME order, the http-01 answers placed where the panel's plain-HTTP listener
//      serves them (panel-files.ts, panel-http.ts), a renewal naming the certificate it
//      replaces when the CA offers ARI
//   3. the key and chain written over the served pair (http/tls.ts reloads them live)
//   4. a TLS handshake with the panel's HTTPS port must serve the new serial
// A failure is recorded with words and the next try (an hour, doubling to a day), and raises
// `certificate.failed` like a site's; the served pair is kept.
import { X509Certificate } from "node:crypto";
import { connect } from "node:tls";
import { generateKey } from "@steward/pki";
import type { Settings } from "../../config/schema.ts";
import { type HandlerContext, PermanentError } from "../../engine/types.ts";
import { recordEvent } from "../events/record.ts";
import { acmeClient, loadAcme } from "./acme.ts";
import { renewalPlan } from "./ari.ts";
import { failureEvent } from "./events.ts";
import { explainRequest } from "./failures.ts";
import type { IssueDeps } from "./issue.ts";
import { type ChallengeSolver, OrderFailure, orderCertificate } from "./order.ts";
import { placeChallenge, removeChallenge, writePanelPair } from "./panel-files.ts";
import { updatePanelState } from "./panel-state.ts";
import { nextTry, renewalDue } from "./schedule.ts";

export const CERTIFICATE_PANEL = "certificate.panel";

/** http-01 answers as files the panel's own listener serves. */
const panelSolver = (dataDir: string): ChallengeSolver => ({
  type: "http-01",
  place: async (list) => {
    for (const a of list) placeChallenge(dataDir, a.token, a.keyAuthorization);
  },
  remove: async (list) => {
    for (const a of list) removeChallenge(dataDir, a.token);
  },
});

/** The serial the panel's HTTPS port serves for `domain` (upper-case hex). */
export function servedSerial(settings: Pick<Settings, "listen" | "port">, domain: string) {
  const wildcard = settings.listen === "0.0.0.0" || settings.listen === "::";
  const host = wildcard ? "127.0.0.1" : settings.listen;
  return new Promise<string>((resolve, reject) => {
    const socket = connect({
      host,
      port: settings.port,
      servername: domain,
      rejectUnauthorized: false,
    });
    socket.setTimeout(5000, () => socket.destroy(new Error("no TLS handshake within 5 s")));
    socket.once("secureConnect", () => {
      resolve(socket.getPeerCertificate().serialNumber.toUpperCase());
      socket.end();
    });
    socket.once("error", reject);
  });
}

/** Waits (the files are polled every 2 s) until the panel serves `serial`, or says what it serves. */
async function verifyServed(
  settings: Settings,
  domain: string,
  serial: string,
  signal: AbortSignal,
) {
  const deadline = Date.now() + 30_000;
  let served = "";
  while (Date.now() < deadline && !signal.aborted) {
    served = await servedSerial(settings, domain).catch((err: Error) => `none (${err.message})`);
    if (served === serial) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new OrderFailure(
    `the panel serves certificate ${served} on port ${settings.port} after the install, not ${serial}`,
  );
}

export async function obtainPanelCertificate(
  deps: IssueDeps,
  ctx: HandlerContext<Record<string, never>>,
) {
  const { settings } = deps;
  const domain = settings.tlsDomain;
  const k = deps.db.db;
  if (!domain) {
    ctx.log.info("STEWARD_TLS_DOMAIN is not set: the panel obtains no certificate");
    return null;
  }
  const before = await updatePanelState(k, { state: "issuing", taskId: ctx.task.id });
  const log = (line: string) => ctx.log.info(line);
  try {
    log(`requesting the panel's certificate for ${domain}`);
    const key = await generateKey();
    const [, csr] = await (await loadAcme()).crypto.createCsr(
      { commonName: domain, altNames: [domain] },
      key.privateKey,
    );
    const client = await acmeClient(deps.db, deps.secrets, settings).catch((err: Error) => {
      throw new OrderFailure(`the ACME directory could not be used: ${err.message}`);
    });
    const chain = await orderCertificate(
      client,
      [domain],
      csr.toString(),
      panelSolver(settings.dataDir),
      log,
      before.ariId,
    );
    writePanelPair(settings.dataDir, key.privateKey, chain);
    const leaf = new X509Certificate(chain);
    const serial = leaf.serialNumber.toUpperCase();
    log(
      `installed certificate ${serial}, valid until ${leaf.validTo}: waiting for the panel to serve it`,
    );
    await verifyServed(settings, domain, serial, ctx.signal);
    const notAfter = Date.parse(leaf.validTo);
    const plan = await renewalPlan(
      settings,
      chain,
      renewalDue(Date.parse(leaf.validFrom), notAfter),
      log,
    );
    await updatePanelState(k, {
      state: "active",
      renewAt: plan.renew_at,
      ariId: plan.ari_id,
      ariNextAt: plan.ari_next_at,
      lastError: null,
      failures: 0,
      warnedDays: null,
    });
    log(`the panel serves certificate ${serial} for ${domain} over TLS`);
    return { serial, notAfter: new Date(notAfter).toISOString() };
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    const failures = before.failures + 1;
    const retryAt = nextTry(Date.now(), failures);
    const message = err instanceof OrderFailure ? err.message : explainRequest(err, retryAt);
    const event = failureEvent(
      { account_id: null, site_id: "" },
      domain,
      { names: [domain], challenge: "http-01", error: message },
      failures,
      retryAt,
    );
    ctx.log.error(`the panel's certificate for ${domain} could not be obtained: ${message}`);
    // the failure and its event in one transaction: raised once, never lost
    await k.transaction().execute(async (trx) => {
      await updatePanelState(trx, {
        state: "failed",
        lastError: message,
        failures,
        renewAt: retryAt,
      });
      await recordEvent(trx, { ...event, groupKey: "panel" });
    });
    throw new PermanentError(message);
  }
}
