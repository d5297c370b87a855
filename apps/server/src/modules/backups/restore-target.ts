// Where a restore of an artifact goes, checked when it is asked for: a database server of the
// artifact's own account (another account's, or a shared one, looks missing) and a database
// name valid on its engine, or a node and a path (super users: a node is shared by tenants).
// The task's payload keeps only ids and names; the server's credentials are opened when the
// task runs (restore-tasks.ts).
import type { ArtifactRestoreTarget } from "@steward/contracts/backups";
import { databaseNameProblem } from "@steward/contracts/databases";
import type { Kysely } from "kysely";
import { enforce } from "../../access/decision.ts";
import { backups as policy } from "../../access/policies/backups.ts";
import type { Ctx } from "../../access/types.ts";
import type { Database } from "../../db/schema.ts";
import { invalid } from "../../lib/errors.ts";
import { findServer } from "../databases/repo.ts";
import { checkNode } from "../nodes/usable.ts";
import { findDestination } from "./repo.ts";
import type { ArtifactRow } from "./runs-repo.ts";
import { findSource } from "./sources-repo.ts";
import { readerNodeOf } from "./sources-service.ts";

/** What an artifact holds, from its name (`…​.tar|dump|archive.zst[.enc]`). */
export function contentOf(name: string): "files" | "database" | "mongodb" {
  if (/\.tar\.zst(\.enc)?$/.test(name)) return "files";
  if (/\.archive\.zst(\.enc)?$/.test(name)) return "mongodb";
  return "database";
}

const HOLDS = { files: "files", database: "a database dump", mongodb: "a MongoDB archive" };
/** what a MongoDB source of no one database says it dumped (source-mongodb.ts on the agent) */
const ALL_MONGO_DATABASES = "all databases";

export type PayloadTarget =
  | { kind: "database"; serverId: string; database: string; replace: boolean }
  | { kind: "files"; path: string | null }
  | {
      kind: "mongodb";
      sourceId: string;
      from: string | null;
      database: string | null;
      drop: boolean;
    };

/** The node a `local` destination is a directory of (null: another kind, read from anywhere). */
export async function destinationNode(db: Kysely<Database>, destinationId: string) {
  const row = await findDestination(db, destinationId);
  if (!row) return { row, nodeId: null };
  const settings = JSON.parse(row.settings) as { kind: string; nodeId?: string };
  return { row, nodeId: settings.kind === "local" ? (settings.nodeId ?? null) : null };
}

/** The database server the artifact was dumped from (null: its source or server is gone). */
export async function sourceServerOf(db: Kysely<Database>, artifact: ArtifactRow) {
  const source = await findSource(db, artifact.source_id);
  return source?.server_id ? ((await findServer(db, source.server_id)) ?? null) : null;
}

export async function resolveTarget(
  db: Kysely<Database>,
  ctx: Ctx,
  artifact: ArtifactRow,
  target: ArtifactRestoreTarget,
): Promise<{ nodeId: string; target: PayloadTarget }> {
  const content = contentOf(artifact.name);
  if (content !== target.kind)
    throw invalid("target.kind", `the artifact holds ${HOLDS[content]}: restore it to ${content}`);
  const { row: destination, nodeId: destinationNodeId } = await destinationNode(
    db,
    artifact.destination_id,
  );
  if (!destination) throw invalid("target", "the artifact's destination was deleted");
  let nodeId: string;
  let out: PayloadTarget;
  if (target.kind === "mongodb") {
    // a MongoDB source is a super user's (its URI reaches anything): so is restoring into one
    enforce(ctx, policy.canReadNodes(ctx));
    const sourceId = target.sourceId ?? artifact.source_id;
    const source = sourceId === null ? null : await findSource(db, sourceId);
    if (source?.kind !== "mongodb" || source.account_id !== artifact.account_id)
      throw invalid("target.sourceId", "no such MongoDB source in this account");
    if (!source.node_id) throw invalid("target.sourceId", "the source has no node to run on");
    const dumped = artifact.source_description;
    const from = dumped === ALL_MONGO_DATABASES ? null : dumped;
    if (from === null && target.database !== null)
      throw invalid("target.database", "the archive holds every database: restore it as it is");
    nodeId = source.node_id;
    out = {
      kind: "mongodb",
      sourceId: source.id,
      from,
      database: target.database,
      drop: target.drop,
    };
  } else if (target.kind === "files") {
    enforce(ctx, policy.canReadNodes(ctx));
    const source = await findSource(db, artifact.source_id);
    const chosen = target.nodeId ?? source?.node_id ?? null;
    if (!chosen) throw invalid("target.nodeId", "name the node to restore on");
    const node = await checkNode(db, chosen);
    if (node.problem) throw invalid("target.nodeId", node.problem.message);
    nodeId = chosen;
    out = { kind: "files", path: target.path };
  } else {
    const original = await sourceServerOf(db, artifact);
    const serverId = target.serverId ?? original?.id ?? null;
    if (!serverId)
      throw invalid("target.serverId", "the artifact's server is gone: name a database server");
    const server = await findServer(db, serverId);
    if (!server || server.account_id !== artifact.account_id)
      throw invalid("target.serverId", "no such database server in this account");
    const engine = original?.engine ?? server.engine;
    if (server.engine !== engine)
      throw invalid(
        "target.serverId",
        `the artifact is a ${engine} dump; this server is ${server.engine}`,
      );
    const reader = readerNodeOf(server);
    if (!reader)
      throw invalid(
        "target.serverId",
        "the panel reaches this server itself: a restore runs on a node (set viaNodeId on the server)",
      );
    const database = target.database ?? artifact.source_description;
    const problem = databaseNameProblem(server.engine, "database", database);
    if (problem) throw invalid("target.database", problem);
    nodeId = reader;
    out = { kind: "database", serverId, database, replace: target.replace };
  }
  if (destinationNodeId && destinationNodeId !== nodeId)
    throw invalid(
      "target",
      `the artifact is in a directory of node ${destinationNodeId}: restore to a target that node reaches`,
    );
  return { nodeId, target: out };
}
