// The explorer's page: a destination's objects joined with the artifacts the panel recorded
// (by destination and name), each one's owner (its artifact's account, or the account of the
// plan its sidecar names) deciding who sees it on a shared destination, then the filters.
import type { DestinationObject } from "@steward/contracts/agent";
import type { ExplorerObject, ExplorerQuery, SidecarSummary } from "@steward/contracts/backups";
import type { Kysely } from "kysely";
import { backupDestinations as policy } from "../../access/policies/backup-destinations.ts";
import type { Ctx } from "../../access/types.ts";
import type { Database } from "../../db/schema.ts";
import { planAccounts } from "./plans-repo.ts";
import type { DestinationRow } from "./repo.ts";
import * as runs from "./runs-repo.ts";

export function summary(sidecar: NonNullable<DestinationObject["sidecar"]>): SidecarSummary {
  return {
    planId: sidecar.planId,
    sourceKind: sidecar.source.kind,
    sourceDescription: sidecar.source.description,
    nodeId: sidecar.source.nodeId,
    bytes: sidecar.bytes,
    sha256: sidecar.sha256,
    encrypted: sidecar.encryption !== null,
    finishedAt: sidecar.finishedAt,
  };
}

/** Each object as the caller may see it (null: not theirs to see) and its owner. */
export async function joinObjects(
  db: Kysely<Database>,
  ctx: Ctx,
  destination: DestinationRow,
  objects: DestinationObject[],
): Promise<{ object: ExplorerObject; owner: string | null }[]> {
  const known = new Map(
    (
      await runs.liveArtifactsNamed(
        db,
        destination.id,
        objects.map((o) => o.name),
      )
    ).map((a) => [a.name, a]),
  );
  const plans = await planAccounts(db, [
    ...new Set(objects.flatMap((o) => (o.sidecar?.planId ? [o.sidecar.planId] : []))),
  ]);
  return objects.flatMap((o) => {
    const artifact = known.get(o.name);
    const planId = o.sidecar?.planId;
    const owner = artifact?.account_id ?? (planId ? (plans.get(planId) ?? null) : null);
    if (!policy.seesObject(ctx, destination, owner).allowed) return [];
    const object: ExplorerObject = {
      name: o.name,
      status: artifact ? "known" : "unknown",
      bytes: o.bytes,
      modifiedAt: o.modifiedAt,
      artifact: artifact ? runs.toArtifact(artifact) : null,
      sidecar: o.sidecar ? summary(o.sidecar) : null,
      problem: o.sidecarProblem,
    };
    return [{ object, owner }];
  });
}

/** The missing ones: live artifacts of the page whose object the destination does not have. */
export function missingObject(artifact: runs.ArtifactRow): ExplorerObject {
  return {
    name: artifact.name,
    status: "missing",
    bytes: null,
    modifiedAt: null,
    artifact: runs.toArtifact(artifact),
    sidecar: null,
    problem: "the object is not on the destination",
  };
}

export const filtering = (q: ExplorerQuery) =>
  Object.entries(q).some(([key, value]) => key !== "status" && value !== undefined);

export function matches(o: ExplorerObject, q: ExplorerQuery): boolean {
  if (q.status && o.status !== q.status) return false;
  if (q.plan && (o.artifact?.planId ?? o.sidecar?.planId) !== q.plan) return false;
  if (q.source && o.artifact?.sourceId !== q.source) return false;
  if (q.verified && (o.artifact?.verifiedAt != null) !== (q.verified === "true")) return false;
  const at = Date.parse(o.modifiedAt ?? o.artifact?.createdAt ?? "");
  if (q.from && !(at >= Date.parse(q.from))) return false;
  if (q.to && !(at < Date.parse(q.to))) return false;
  const bytes = o.bytes ?? o.artifact?.bytes ?? 0;
  if (q.minBytes !== undefined && bytes < q.minBytes) return false;
  if (q.maxBytes !== undefined && bytes > q.maxBytes) return false;
  return true;
}
