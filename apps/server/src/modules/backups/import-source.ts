// Which of a plan's sources an imported artifact came from, so that retention counts and
// prunes it with the plan's own artifacts of that source (runs-repo `storedArtifacts` walks
// plan, destination, source and item): a source of the plan on the sidecar's node, of a kind
// that makes the sidecar's kind, one of whose items (run.description: a path, a database) is the
// one the sidecar describes. None when no source or more than one matches: the artifact stays
// out of retention (deleted by hand), as before.
import type { ArtifactSource } from "@steward/contracts/backups";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { findPlan, idsOf } from "./plans-repo.ts";
import { itemsOf } from "./plans-runs.ts";
import { findSources, type SourceRow } from "./sources-repo.ts";

/** the source kinds whose runs write an artifact of each sidecar kind */
const MAKES: Record<ArtifactSource["kind"], readonly SourceRow["kind"][]> = {
  files: ["files"],
  postgres: ["database", "server"],
  mariadb: ["database", "server"],
  mongodb: ["mongodb"],
  steward: ["steward"],
};

/** `sourceOf(planId, sidecar source)`: the source id or null; plans and items read once each. */
export function importSources(db: Kysely<Database>) {
  const plans = new Map<string, Promise<{ source: SourceRow; items: string[] }[]>>();
  const sourcesOf = (planId: string) => {
    let found = plans.get(planId);
    if (!found) {
      found = (async () => {
        const plan = await findPlan(db, planId);
        const sources = plan ? await findSources(db, idsOf(plan.source_ids)) : [];
        return Promise.all(
          sources.map(async (source) => ({ source, items: await itemsOf(db, source) })),
        );
      })();
      plans.set(planId, found);
    }
    return found;
  };
  return async (planId: string | null, from: ArtifactSource): Promise<string | null> => {
    if (planId === null) return null;
    const matches = (await sourcesOf(planId)).filter(
      ({ source, items }) =>
        MAKES[from.kind].includes(source.kind) &&
        (source.node_id ?? null) === (from.nodeId ?? null) &&
        items.includes(from.description),
    );
    return matches.length === 1 ? (matches[0]?.source.id ?? null) : null;
  };
}
