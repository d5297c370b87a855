// The issuance (and renewal) of one certificate, as its task runs it:
//   1. cert.request: the node makes a new key and answers a CSR for the names
//   2. the ACME order: http-01 answers placed on the node (cert.challenge), or dns-01 TXT
//      records through the account's DNS provider (dns01.ts); validated, removed
//   3. cert.install: the chain next to the key (a renewal reloads nginx and checks the serial)
//   4. site.apply: the site's vhost with its TLS server block; its verify makes a TLS
//      handshake per name and reports the served serial, which must be the installed one
// A failure is recorded on the certificate in words a person can act on, with the next try
// (renew_at) backed off; an agent that does not answer is retried by the engine.
import { AgentError, AgentPermanentError } from "../../agents/errors.ts";
import type { Settings } from "../../config/schema.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import { type HandlerContext, PermanentError } from "../../engine/types.ts";
import { recordEvent } from "../events/record.ts";
import { findSite } from "../sites/repo.ts";
import { acmeClient } from "./acme.ts";
import { renewalPlan } from "./ari.ts";
import { type Dns01Providers, dnsSolver } from "./dns01.ts";
import { failureEvent } from "./events.ts";
import { explainRequest } from "./failures.ts";
import { certificateNames, chooseChallenge } from "./names.ts";
import { type ChallengeSolver, httpSolver, OrderFailure, orderCertificate } from "./order.ts";
import * as repo from "./repo.ts";
import { nextTry, renewalDue } from "./schedule.ts";
import { type AfterInstall, type CallOperation, installAndServe, siteOp } from "./serve.ts";

export type { CallOperation } from "./serve.ts";

export interface IssueDeps {
  db: Db;
  secrets: Secrets;
  settings: Settings;
  call: CallOperation;
  /** the dns-01 providers of an account */
  dnsProviders: Dns01Providers;
  /** after each install (mail serving the same certificate installs it again) */
  afterInstall?: AfterInstall;
}

export async function issueCertificate(
  deps: IssueDeps,
  ctx: HandlerContext<{ certificateId: string }>,
) {
  const k = deps.db.db;
  const row = await repo.findCertificate(k, ctx.task.payload.certificateId);
  // an upload since this order was queued replaced it (an order asked after the upload is
  // the row's task: it goes ahead and replaces the uploaded certificate)
  if (row?.source === "upload" && row.task_id !== ctx.task.id) {
    ctx.log.info("an uploaded certificate replaced this order: nothing to do");
    return null;
  }
  const site = row && (await findSite(k, row.site_id));
  if (!row || !site || site.status === "deleting") {
    ctx.log.info("the certificate or its site no longer exists: nothing to do");
    return null;
  }
  // the site's names as they are now (a site's names may have changed since the last one)
  const names = certificateNames(site, Number(row.wildcard) === 1);
  const op = siteOp(deps.call, row.node_id, {
    signal: ctx.signal,
    onLog: (line, level) => ctx.log[level](line),
    requestId: ctx.task.id,
  });
  let used: "http-01" | "dns-01" | null = null;
  await repo.updateCertificate(k, row.id, {
    state: "issuing",
    task_id: ctx.task.id,
    names: JSON.stringify(names),
  });
  try {
    ctx.log.info(`requesting a certificate for ${names.join(", ")} (${row.key_type})`);
    const keyType = row.key_type.startsWith("rsa-") ? "rsa-2048" : "ecdsa-p256";
    const { csr } = await op("cert.request", { id: row.site_id, names, keyType });
    const client = await acmeClient(deps.db, deps.secrets, deps.settings).catch((err: Error) => {
      throw new OrderFailure(`the ACME directory could not be used: ${err.message}`);
    });
    const log = (line: string) => ctx.log.info(line);
    const challenge = await chooseChallenge(
      row.challenge,
      names,
      await deps.dnsProviders(row.account_id),
    );
    if (challenge.type === "none") throw new OrderFailure(challenge.why);
    used = challenge.type;
    const solver: ChallengeSolver =
      challenge.type === "dns-01"
        ? dnsSolver(challenge.provider, deps.settings.acmeDnsResolvers, log)
        : httpSolver(async (place, remove) => {
            await op("cert.challenge", { id: row.site_id, place, remove });
          });
    // a renewal at a CA with ARI names the certificate it replaces (ari_id: the CA has ARI)
    const replaces = row.source === "acme" && row.serial ? row.ari_id : null;
    const chain = await orderCertificate(client, names, csr, solver, log, replaces);
    const installed = await installAndServe(deps, op, site, Number(row.hsts) === 1, {
      certificate: chain,
    });
    ctx.log.info(`installed certificate ${installed.serial}, valid until ${installed.notAfter}`);
    const notAfter = Date.parse(installed.notAfter);
    await repo.updateCertificate(k, row.id, {
      state: "active",
      serial: installed.serial,
      issuer: installed.issuer,
      not_before: Date.parse(installed.notBefore),
      not_after: notAfter,
      ...(await renewalPlan(
        deps.settings,
        chain,
        renewalDue(Date.parse(installed.notBefore), notAfter),
        log,
      )),
      last_error: null,
      failures: 0,
      warned_days: null,
      source: "acme",
    });
    ctx.log.info(`every name serves certificate ${installed.serial} over TLS`);
    return { serial: installed.serial, notAfter: installed.notAfter };
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    const failures = Number(row.failures) + 1;
    const retryAt = nextTry(Date.now(), failures);
    const known = err instanceof OrderFailure;
    // an agent that does not answer is the engine's to retry; the rest is recorded and final
    if (err instanceof AgentError && ctx.task.attempt < ctx.task.maxAttempts) {
      await repo.updateCertificate(k, row.id, { state: row.serial ? "active" : "pending" });
      throw err;
    }
    const message =
      known || err instanceof AgentPermanentError ? err.message : explainRequest(err, retryAt);
    const event = failureEvent(
      row,
      site.primary_domain,
      { names, challenge: used, error: message },
      failures,
      retryAt,
    );
    // the failure and its event in one transaction: raised once, never lost
    await k.transaction().execute(async (trx) => {
      await repo.updateCertificate(trx, row.id, {
        state: "failed",
        last_error: message,
        failures,
        renew_at: retryAt,
      });
      await recordEvent(trx, { ...event, groupKey: `site:${row.site_id}` });
    });
    throw new PermanentError(message);
  }
}
