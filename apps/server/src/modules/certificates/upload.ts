// An uploaded certificate (a commercial CA's, an internal CA's): checked by the panel
// (upload-check.ts) before anything reaches the node, then installed on the site's node like an
// issued one (serve.ts: cert.install with the key, site.apply, the served serial checked), in
// the request. The key travels to the node only: it is not stored, answered, audited or logged.
// The row is `source: upload` with no renewal date: the daily scan warns at 21/7/1 days left
// and never renews it; asking for an ACME certificate later (POST /certificates) replaces it.
import type { CertificateUpload } from "@steward/contracts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Settings } from "../../config/schema.ts";
import type { Db } from "../../db/open.ts";
import { conflict } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { certificateNames } from "./names.ts";
import * as repo from "./repo.ts";
import { type AfterInstall, type CallOperation, installAndServe, siteOp } from "./serve.ts";
import { siteToManage } from "./site-access.ts";
import { checkUpload } from "./upload-check.ts";

export interface UploadDeps {
  db: Db;
  settings: Settings;
  call: CallOperation;
  /** after the install (mail serving the same certificate installs it again) */
  afterInstall?: AfterInstall;
}

const INSTALL_TIMEOUT_MS = 120_000;

export async function uploadCertificate(deps: UploadDeps, ctx: Ctx, input: CertificateUpload) {
  const k = deps.db.db;
  const site = await siteToManage(k, ctx, input.site);
  const names = certificateNames(site, false);
  const checked = checkUpload(input, names);
  const before = await repo.certificateOfSite(k, site.id);
  if (before?.state === "issuing")
    throw conflict(`an ACME order for ${site.primary_domain} is running: upload after it ends`);
  const op = siteOp(deps.call, site.node_id, {
    signal: AbortSignal.timeout(INSTALL_TIMEOUT_MS),
    onLog: () => {},
    requestId: newId("upl"),
  });
  const installed = await installAndServe(deps, op, site, input.hsts, {
    certificate: checked.fullchain,
    key: input.key,
  }).catch((err: Error) => {
    throw conflict(`the node could not install the certificate: ${err.message}`);
  });
  const now = Date.now();
  const id = before?.id ?? newId("cert");
  const row = {
    site_id: site.id,
    account_id: site.account_id,
    node_id: site.node_id,
    names: JSON.stringify(names),
    key_type: checked.keyType,
    state: "active" as const,
    hsts: input.hsts ? 1 : 0,
    challenge: null,
    wildcard: 0,
    source: "upload" as const,
    serial: installed.serial,
    issuer: installed.issuer,
    not_before: Date.parse(installed.notBefore),
    not_after: Date.parse(installed.notAfter),
    renew_at: null,
    ari_id: null,
    ari_next_at: null,
    last_error: null,
    failures: 0,
    warned_days: null,
    task_id: null,
  };
  await k.transaction().execute(async (trx) => {
    if (before) await repo.updateCertificate(trx, id, row);
    else await repo.insertCertificate(trx, { id, ...row, created_at: now, updated_at: now });
    await recordAudit(trx, ctx, {
      action: "certificate.upload",
      targetType: "site",
      targetId: site.id,
      accountId: site.account_id,
      diff: {
        after: { serial: installed.serial, issuer: installed.issuer, notAfter: installed.notAfter },
      },
    });
  });
  const saved = await repo.findCertificate(k, id);
  if (!saved) throw conflict(`the certificate of ${site.primary_domain} went away`);
  return repo.toCertificate(saved);
}
