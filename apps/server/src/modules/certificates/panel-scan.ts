// The daily scan's look at the panel's own certificate (STEWARD_TLS_DOMAIN), as at a site's:
// the CA's ARI window asked again when due, `certificate.panel` enqueued when the renewal is due
// (or while only the self-signed stand-in is served), and the expiry warned at 21, 7 and 1 days.
import type { Db } from "../../db/open.ts";
import type { HandlerContext, TaskSpec } from "../../engine/types.ts";
import { recordEvent } from "../events/record.ts";
import type { AcmeSettings } from "./acme.ts";
import { refreshPlan } from "./ari.ts";
import { expiryWarning } from "./events.ts";
import { CERTIFICATE_PANEL } from "./panel.ts";
import { panelLeaf } from "./panel-files.ts";
import { readPanelState, updatePanelState } from "./panel-state.ts";

type ScanSettings = AcmeSettings & { tlsDomain: string | undefined; dataDir: string };

/** Enqueues the panel's certificate task (one at a time); answers its id. */
export async function enqueuePanel(
  enqueue: (spec: TaskSpec) => Promise<{ id: string }>,
  db: Db,
  bringForward = false,
) {
  const task = await enqueue({ kind: CERTIFICATE_PANEL, payload: {}, bringForward });
  await updatePanelState(db.db, { taskId: task.id });
  return task.id;
}

/**
 * At start-up (serve, a worker role): while the panel serves its self-signed stand-in, its
 * certificate is ordered at once rather than at the next daily scan.
 */
export async function orderPanelAtStart(
  settings: Pick<ScanSettings, "tlsDomain" | "dataDir">,
  db: Db,
  enqueue: (spec: TaskSpec) => Promise<{ id: string }>,
): Promise<string | null> {
  if (!settings.tlsDomain) return null;
  const served = panelLeaf(settings.dataDir);
  if (served && !served.standIn) return null;
  return enqueuePanel(enqueue, db);
}

/** What the scan did about the panel's certificate: renewals enqueued, warnings raised. */
export async function scanPanel(
  settings: ScanSettings,
  db: Db,
  ctx: Pick<HandlerContext<unknown>, "enqueue" | "log">,
  now: number,
): Promise<{ renewals: number; warnings: number }> {
  const domain = settings.tlsDomain;
  if (!domain) return { renewals: 0, warnings: 0 };
  const k = db.db;
  let state = await readPanelState(k);
  if (state.ariId && state.ariNextAt !== null && state.ariNextAt <= now) {
    const row = { ari_id: state.ariId, renew_at: state.renewAt };
    const plan = await refreshPlan(settings, row, now, (l) => ctx.log.warn(l));
    state = await updatePanelState(k, {
      ariNextAt: plan.ari_next_at,
      ...(plan.renew_at === undefined ? {} : { renewAt: plan.renew_at }),
    });
  }
  const served = panelLeaf(settings.dataDir);
  const due = !served || served.standIn || state.renewAt === null || state.renewAt <= now;
  let renewals = 0;
  if (due) {
    ctx.log.info(`the panel's certificate for ${domain} is due: ordering it`);
    await enqueuePanel(ctx.enqueue, db);
    renewals = 1;
  }
  if (!served || served.standIn) return { renewals, warnings: 0 };
  const warning = expiryWarning(
    {
      account_id: null,
      site_id: "",
      not_after: Date.parse(served.leaf.validTo),
      warned_days: state.warnedDays,
      issuer: served.leaf.issuer.replace(/\n/g, ", "),
    },
    domain,
    now,
  );
  if (!warning) return { renewals, warnings: 0 };
  ctx.log.warn(warning.event.summary);
  await k.transaction().execute(async (trx) => {
    await recordEvent(trx, { ...warning.event, groupKey: "panel" });
    await updatePanelState(trx, { warnedDays: warning.threshold });
  });
  return { renewals, warnings: 1 };
}
