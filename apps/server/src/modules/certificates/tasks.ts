// The task kinds of certificates: one issuance (or renewal) per certificate, and the daily
// scan that enqueues the renewals due and raises expiry warnings.
import { z } from "zod";
import type { Db } from "../../db/open.ts";
import type { Registry } from "../../engine/registry.ts";
import type { HandlerDef } from "../../engine/types.ts";
import { recordEvent } from "../events/record.ts";
import { findSite } from "../sites/repo.ts";
import { refreshPlan } from "./ari.ts";
import { expiryWarning, WARN_DAYS } from "./events.ts";
import { resolvesTo } from "./failures.ts";
import { type IssueDeps, issueCertificate } from "./issue.ts";
import { CERTIFICATE_PANEL, obtainPanelCertificate } from "./panel.ts";
import { scanPanel } from "./panel-scan.ts";
import * as repo from "./repo.ts";

export const CERTIFICATE_ISSUE = "certificate.issue";
export const CERTIFICATE_SCAN = "certificate.scan";

const DAY = 86_400_000;
const SCAN_BATCH = 1000;

const payload = z.strictObject({ certificateId: z.string() });

function issueTask(deps: IssueDeps): HandlerDef<typeof payload> {
  return {
    kind: CERTIFICATE_ISSUE,
    description:
      "obtains or renews a site's certificate by ACME http-01 through its node's agent, installs it and checks the served serial",
    payload,
    timeoutMs: 10 * 60_000,
    maxAttempts: 5,
    backoff: { baseMs: 30_000, maxMs: 30 * 60_000 },
    concurrency: { key: (p) => `certificate:${p.certificateId}`, limit: 1 },
    unique: (p) => p.certificateId,
    run: (ctx) => issueCertificate(deps, ctx),
  };
}

const none = z.strictObject({});

/** The panel's own certificate (STEWARD_TLS_DOMAIN): one order at a time. */
function panelTask(deps: IssueDeps): HandlerDef<typeof none> {
  return {
    kind: CERTIFICATE_PANEL,
    description:
      "obtains or renews the panel's own certificate (STEWARD_TLS_DOMAIN) by ACME http-01 on its plain-HTTP port and checks that its HTTPS port serves it",
    payload: none,
    timeoutMs: 10 * 60_000,
    maxAttempts: 1,
    system: true,
    unique: () => "panel",
    run: (ctx) => obtainPanelCertificate(deps, ctx),
  };
}

export type ScanDeps = IssueDeps;

function scanTask(deps: ScanDeps): HandlerDef<typeof none> {
  const k = deps.db.db;
  return {
    kind: CERTIFICATE_SCAN,
    description:
      "asks the CA's renewal windows (ARI), enqueues the renewal of every certificate that is due (in its ARI window, else 30 days before expiry, or after a failure's backoff) and warns about expiring ones",
    payload: none,
    timeoutMs: 10 * 60_000,
    maxAttempts: 3,
    userCreatable: true,
    recurring: true,
    system: true,
    unique: () => "default",
    async run(ctx) {
      const now = Date.now();
      // the CA's renewal windows first (RFC 9773): one that moved earlier is renewed below
      let asked = 0;
      for (const row of await repo.ariDue(k, now, SCAN_BATCH)) {
        await repo.updateCertificate(
          k,
          row.id,
          await refreshPlan(deps.settings, row, now, (l) => ctx.log.warn(l)),
        );
        asked += 1;
      }
      if (asked) ctx.log.info(`asked the CA's renewal information about ${asked} certificate(s)`);
      let renewals = 0;
      for (const row of await repo.dueForRenewal(k, now, SCAN_BATCH)) {
        if (row.state === "issuing") continue;
        if (!(await namesResolve(k, row, now))) continue;
        const task = await ctx.enqueue({
          kind: CERTIFICATE_ISSUE,
          payload: { certificateId: row.id },
          target: { type: "site", id: row.site_id },
          accountId: row.account_id,
        });
        await repo.updateCertificate(k, row.id, { task_id: task.id });
        renewals += 1;
      }
      let warnings = 0;
      for (const row of await repo.expiringBy(k, now + (WARN_DAYS[0] + 1) * DAY, SCAN_BATCH)) {
        const site = await findSite(k, row.site_id);
        const due = expiryWarning(row, site?.primary_domain ?? row.site_id, now);
        if (!due) continue;
        ctx.log.warn(due.event.summary);
        // the warning and its mark in one transaction: raised once, never lost
        await k.transaction().execute(async (trx) => {
          await recordEvent(trx, { ...due.event, groupKey: `site:${row.site_id}` });
          await repo.updateCertificate(trx, row.id, { warned_days: due.threshold });
        });
        warnings += 1;
      }
      const panel = await scanPanel(deps.settings, deps.db, ctx, now);
      renewals += panel.renewals;
      warnings += panel.warnings;
      ctx.log.info(`${renewals} renewal(s) enqueued, ${warnings} expiry warning(s)`);
      return { renewals, warnings };
    },
  };
}

/**
 * A certificate planned with its site (none ordered yet) waits until every name resolves:
 * ordering before DNS points at the node only fails and spends the CA's limits.
 */
async function namesResolve(k: Db["db"], row: repo.CertificateRow, now: number) {
  if (row.state !== "pending" || row.task_id !== null) return true;
  for (const name of JSON.parse(row.names) as string[]) {
    if (await resolvesTo(name)) continue;
    await repo.updateCertificate(k, row.id, {
      renew_at: now + DAY,
      last_error: `waiting for DNS: ${name} does not resolve yet; HTTPS starts once every name of the site points at its node`,
    });
    return false;
  }
  return true;
}

export function registerCertificateTasks(registry: Registry, deps: ScanDeps) {
  registry.register(issueTask(deps));
  registry.register(scanTask(deps));
  registry.register(panelTask(deps));
}
