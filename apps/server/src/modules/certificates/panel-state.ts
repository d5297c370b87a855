// Where the panel's own certificate stands (STEWARD_TLS_DOMAIN): the certificate itself is the
// file the panel serves (panel-files.ts); its renewal plan (ARI or 30 days before expiry), the
// last error and the warnings raised are one named value of the `settings` table, so every
// panel process of the installation sees the same.
import type { PanelCertificate } from "@steward/contracts";
import type { Kysely } from "kysely";
import type { Settings } from "../../config/schema.ts";
import type { Database } from "../../db/schema.ts";
import { getSetting, putSetting } from "../settings/repo.ts";
import { panelLeaf } from "./panel-files.ts";

const KEY = "panel_certificate";
const DAY = 86_400_000;

export interface PanelState {
  state: "pending" | "issuing" | "active" | "failed";
  renewAt: number | null;
  /** the ARI certID of the installed certificate when the CA offers ARI (renewals replace it) */
  ariId: string | null;
  ariNextAt: number | null;
  lastError: string | null;
  failures: number;
  warnedDays: number | null;
  taskId: string | null;
}

const initial: PanelState = {
  state: "pending",
  renewAt: null,
  ariId: null,
  ariNextAt: null,
  lastError: null,
  failures: 0,
  warnedDays: null,
  taskId: null,
};

export async function readPanelState(db: Kysely<Database>): Promise<PanelState> {
  const raw = await getSetting(db, KEY);
  if (!raw) return { ...initial };
  try {
    return { ...initial, ...(JSON.parse(raw) as Partial<PanelState>) };
  } catch {
    return { ...initial };
  }
}

export async function updatePanelState(db: Kysely<Database>, change: Partial<PanelState>) {
  const next = { ...(await readPanelState(db)), ...change };
  await putSetting(db, KEY, JSON.stringify(next));
  return next;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The answer of GET /api/v1/certificates/panel: the served file and the plan. */
export function describePanel(
  settings: Pick<Settings, "dataDir">,
  domain: string,
  s: PanelState,
  now = Date.now(),
): PanelCertificate {
  const found = panelLeaf(settings.dataDir);
  const issued = found && !found.standIn ? found.leaf : null;
  const notAfter = issued ? Date.parse(issued.validTo) : null;
  return {
    domain,
    state: s.state,
    serial: issued ? issued.serialNumber.toUpperCase() : null,
    issuer: issued ? issued.issuer.replace(/\n/g, ", ") : null,
    notBefore: issued ? new Date(issued.validFrom).toISOString() : null,
    notAfter: iso(notAfter),
    daysLeft: notAfter === null ? null : Math.floor((notAfter - now) / DAY),
    renewAt: iso(s.renewAt),
    lastError: s.lastError,
    taskId: s.taskId,
  };
}
