// Importing unknown artifacts from their sidecars: each name must be on the destination (as the
// caller may see it) with a valid sidecar whose size and SHA-256 are the object's (read back
// and hashed, through the node for a node's directory), and not already a live artifact there.
// They become artifacts of the destination's account (a shared destination: the account
// given), of the plan given or the one the sidecar names when it is that account's, else
// orphans (no plan); no run; of the plan's source the sidecar describes when exactly one
// matches (import-source.ts), so retention prunes it with the plan's own artifacts. All or
// nothing: the first refusal names the artifact.

import type { DestinationObject } from "@steward/contracts/agent";
import type { ArtifactImport } from "@steward/contracts/backups";
import type { Kysely } from "kysely";
import { enforce } from "../../access/decision.ts";
import { backupDestinations as policy } from "../../access/policies/backup-destinations.ts";
import { backups } from "../../access/policies/backups.ts";
import type { Ctx } from "../../access/types.ts";
import { changeOf, recordAudit } from "../../audit/log.ts";
import type { Database } from "../../db/schema.ts";
import { conflict, invalid } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { requireAccount } from "../accounts/require.ts";
import type { DestinationCalls } from "./explorer-calls.ts";
import { importSources } from "./import-source.ts";
import { findPlan, planAccounts } from "./plans-repo.ts";
import type { DestinationRow } from "./repo.ts";
import * as runs from "./runs-repo.ts";

/** The account (and plan) the artifacts become: the body's, checked, or the destination's. */
async function targetOf(db: Kysely<Database>, ctx: Ctx, row: DestinationRow, body: ArtifactImport) {
  if (body.planId) {
    const plan = await findPlan(db, body.planId);
    if (!plan || !backups.canRead(ctx, plan).allowed)
      throw invalid("planId", `no plan ${body.planId}`);
    if (body.accountId && body.accountId !== plan.account_id)
      throw invalid("planId", `the plan ${body.planId} is not of account ${body.accountId}`);
    return { into: plan.account_id, planId: plan.id as string | null };
  }
  const into = body.accountId ?? row.account_id;
  if (!into)
    throw invalid("accountId", "a shared destination's artifacts need an account: give accountId");
  return { into, planId: body.planId === null ? null : undefined };
}

export async function importArtifacts(
  db: Kysely<Database>,
  ctx: Ctx,
  row: DestinationRow,
  calls: DestinationCalls,
  body: ArtifactImport,
) {
  const names = [...new Set(body.names)];
  const target = await targetOf(db, ctx, row, body);
  // adding artifacts to an account is its admins' (before the destination is asked anything)
  enforce(ctx, backups.canCreateIn(ctx, target.into));
  await requireAccount(db, target.into, "accountId");
  const listed = new Map((await calls.list({ names })).objects.map((o) => [o.name, o]));
  const owners = await planAccounts(db, [
    ...new Set([...listed.values()].flatMap((o) => (o.sidecar?.planId ? [o.sidecar.planId] : []))),
  ]);
  const ownerOf = (o: DestinationObject) =>
    o.sidecar?.planId ? (owners.get(o.sidecar.planId) ?? null) : null;
  const known = new Map((await runs.liveArtifactsNamed(db, row.id, names)).map((a) => [a.name, a]));
  for (const name of names) {
    const o = listed.get(name);
    // another account's object on a shared destination looks missing
    const owner = o ? (known.get(name)?.account_id ?? ownerOf(o)) : null;
    if (!o || !policy.seesObject(ctx, row, owner).allowed)
      throw invalid("names", `${name}: not on the destination`);
    if (known.has(name))
      throw conflict(`${name}: already an artifact (${known.get(name)?.id})`, "names");
    if (!o.sidecar) throw invalid("names", `${name}: ${o.sidecarProblem ?? "no sidecar"}`);
    if (o.sidecar.bytes !== o.bytes)
      throw invalid(
        "names",
        `${name}: its sidecar says ${o.sidecar.bytes} bytes, the object has ${o.bytes}`,
      );
    enforce(ctx, policy.canImport(ctx, row, owner, target.into));
  }
  const hashed = new Map(
    (await calls.list({ names, hash: true })).objects.map((o) => [o.name, o.sha256]),
  );
  const now = Date.now();
  const sourceOf = importSources(db);
  const rows: runs.ArtifactRow[] = [];
  for (const name of names) {
    const o = listed.get(name) as DestinationObject;
    const sidecar = o.sidecar as NonNullable<DestinationObject["sidecar"]>;
    const sha256 = hashed.get(name);
    if (sha256 !== sidecar.sha256)
      throw invalid(
        "names",
        `${name}: its sidecar says SHA-256 ${sidecar.sha256}, the object's is ${sha256 ?? "unreadable"}`,
      );
    const planId =
      target.planId !== undefined
        ? target.planId
        : sidecar.planId && owners.get(sidecar.planId) === target.into
          ? sidecar.planId
          : null;
    rows.push({
      id: newId(runs.ARTIFACT_ID, now),
      account_id: target.into,
      run_id: null,
      plan_id: planId,
      source_id: await sourceOf(planId, sidecar.source),
      destination_id: row.id,
      name,
      bytes: o.bytes,
      sha256,
      source_description: sidecar.source.description,
      verified: 0,
      verified_at: null,
      verify_error: null,
      verify_checked_at: null,
      deleted_at: null,
      imported_at: now,
      created_at: Date.parse(sidecar.finishedAt),
    });
  }
  await db.transaction().execute(async (trx) => {
    await runs.insertArtifacts(trx, rows);
    for (const r of rows)
      await recordAudit(
        trx,
        ctx,
        changeOf(
          "backup-artifact",
          r.id,
          "import",
          { after: { name: r.name, destinationId: row.id, planId: r.plan_id, sha256: r.sha256 } },
          r.account_id,
        ),
      );
  });
  return { imported: rows.map((r) => runs.toArtifact(r)) };
}
