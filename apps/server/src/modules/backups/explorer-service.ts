// The storage explorer (issue 15): what a destination holds, joined with the artifacts the
// panel recorded; deleting an artifact (its object and sidecar, through the node for a node's
// directory) unless it is the only good copy of its source; importing unknown artifacts from
// their sidecars (explorer-import.ts). Who sees what: access/policies/backup-destinations.ts
// (on a shared destination an account's members see only that account's objects).
import type { ArtifactImport, ExplorerObject, ExplorerQuery } from "@steward/contracts/backups";
import { enforce } from "../../access/decision.ts";
import { backupDestinations as policy } from "../../access/policies/backup-destinations.ts";
import { backups } from "../../access/policies/backups.ts";
import type { Ctx } from "../../access/types.ts";
import { changeOf, recordAudit } from "../../audit/log.ts";
import { conflict, notFound } from "../../lib/errors.ts";
import { monitorPolicy } from "../monitors/policy.ts";
import { openedSettings } from "./destination-test.ts";
import { destinationCalls } from "./explorer-calls.ts";
import { importArtifacts } from "./explorer-import.ts";
import { filtering, joinObjects, matches, missingObject } from "./explorer-join.ts";
import * as repo from "./repo.ts";
import * as runs from "./runs-repo.ts";
import type { BackupsDeps } from "./service.ts";

/** Destination calls one page may make (a filter that matches little stops here, with a cursor). */
const ROUNDS = 5;
const cursorOf = (s: string) => Buffer.from(s, "utf8").toString("base64url");
const fromCursor = (c: string | undefined) =>
  c ? Buffer.from(c, "base64url").toString("utf8") : undefined;

type PolicySettings = Parameters<typeof monitorPolicy>[0];

export function createExplorerService(deps: BackupsDeps) {
  const k = deps.db.db;
  const callsOf = (row: repo.DestinationRow) =>
    destinationCalls(
      openedSettings(row, deps.secrets),
      monitorPolicy(deps.settings as PolicySettings, row.account_id),
      async (...args) => (await deps.runOperation())(...args),
    );

  async function destinationOf(ctx: Ctx, id: string) {
    const row = await repo.findDestination(k, id);
    // not visible and not existing look the same
    if (!row || !policy.canExplore(ctx, row).allowed) throw notFound(`backup destination ${id}`);
    enforce(ctx, policy.canExplore(ctx, row));
    return row;
  }

  /** known and unknown objects: the destination's listing in name order */
  async function present(ctx: Ctx, row: repo.DestinationRow, q: Query) {
    const calls = callsOf(row);
    const items: ExplorerObject[] = [];
    let after = fromCursor(q.cursor);
    for (let round = 0; round < ROUNDS; round++) {
      const page = await calls.list({ after, limit: filtering(q) ? 200 : q.limit });
      const joined = new Map(
        (await joinObjects(k, ctx, row, page.objects)).map((j) => [j.object.name, j.object]),
      );
      for (const [at, o] of page.objects.entries()) {
        after = o.name;
        const seen = joined.get(o.name);
        if (!seen || !matches(seen, q)) continue;
        items.push(seen);
        if (items.length === q.limit) {
          const more = at < page.objects.length - 1 || page.next !== null;
          return { items, nextCursor: more ? cursorOf(after) : null };
        }
      }
      if (page.next === null) return { items, nextCursor: null };
    }
    return { items, nextCursor: after === undefined ? null : cursorOf(after) };
  }

  /** missing objects: the destination's live artifacts, newest first, whose object is gone */
  async function missing(ctx: Ctx, row: repo.DestinationRow, q: Query) {
    const calls = callsOf(row);
    const items: ExplorerObject[] = [];
    let before = fromCursor(q.cursor);
    for (let round = 0; round < ROUNDS; round++) {
      const rows = await runs.liveArtifactsOf(k, row.id, { limit: 100, before });
      const visible = rows.filter((a) => policy.seesObject(ctx, row, a.account_id).allowed);
      const names = [...new Set(visible.map((a) => a.name))];
      const there =
        names.length === 0
          ? new Set()
          : new Set((await calls.list({ names })).objects.map((o) => o.name));
      for (const [at, a] of rows.entries()) {
        before = a.id;
        if (!visible.includes(a) || there.has(a.name)) continue;
        const o = missingObject(a);
        if (!matches(o, q)) continue;
        items.push(o);
        if (items.length === q.limit) {
          const more = at < rows.length - 1 || rows.length === 100;
          return { items, nextCursor: more ? cursorOf(before) : null };
        }
      }
      if (rows.length < 100) return { items, nextCursor: null };
    }
    return { items, nextCursor: before === undefined ? null : cursorOf(before) };
  }

  return {
    /** A page of the explorer: known and unknown objects, or (status=missing) the missing ones. */
    async objects(ctx: Ctx, id: string, q: Query) {
      const row = await destinationOf(ctx, id);
      return q.status === "missing" ? missing(ctx, row, q) : present(ctx, row, q);
    },

    /** Imports unknown artifacts from their sidecars. */
    async import(ctx: Ctx, id: string, body: ArtifactImport) {
      const row = await destinationOf(ctx, id);
      return importArtifacts(k, ctx, row, callsOf(row), body);
    },

    /**
     * Deletes an artifact's object and sidecar from its destination and marks it deleted;
     * the only good copy of its source only with `force`.
     */
    async deleteArtifact(ctx: Ctx, id: string, force: boolean) {
      const artifact = await runs.findArtifact(k, id);
      if (!artifact || !backups.canRead(ctx, artifact).allowed)
        throw notFound(`backup artifact ${id}`);
      enforce(ctx, backups.canManage(ctx, artifact));
      if (artifact.deleted_at !== null) throw conflict(`${artifact.name} is already deleted`);
      if (!force && !(await runs.otherGoodCopy(k, artifact)))
        throw conflict(
          `${artifact.name} is the only good copy of ${artifact.source_description} (force deletes it anyway)`,
          "force",
        );
      const destination = await repo.findDestination(k, artifact.destination_id);
      // a deleted destination holds nothing the panel can reach: the record alone goes
      if (destination) await callsOf(destination).remove([artifact.name]);
      await k.transaction().execute(async (trx) => {
        await runs.markDeleted(trx, [id], Date.now());
        await recordAudit(
          trx,
          ctx,
          changeOf(
            "backup-artifact",
            id,
            "delete",
            {
              before: {
                name: artifact.name,
                destinationId: artifact.destination_id,
                force,
              },
            },
            artifact.account_id,
          ),
        );
      });
    },
  };
}

type Query = ExplorerQuery & { limit: number; cursor?: string };
export type ExplorerService = ReturnType<typeof createExplorerService>;
