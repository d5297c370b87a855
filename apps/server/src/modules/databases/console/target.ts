// Where a console statement runs: the database's server (a node's own, or an external one
// after the outbound policy allows its host and port, with the server's TLS), reached by the
// panel itself or by a node's agent (`nodeId`: the server's node, or the node an external
// server is reached through), logged in as the database's own user (its password opened from
// its seal), never the server's admin.
import type { DatabaseEngine, DatabaseQueryInput } from "@steward/contracts/databases";
import type { OutboundPolicy } from "@steward/contracts/net";
import type { Secrets } from "../../../crypto/secrets.ts";
import type { Db } from "../../../db/open.ts";
import { conflict } from "../../../lib/errors.ts";
import { refuseFields } from "../../../lib/outbound.ts";
import * as items from "../items-repo.ts";
import type * as repo from "../repo.ts";

export interface Target {
  engine: DatabaseEngine;
  server: DatabaseQueryInput["server"];
  who: DatabaseQueryInput["login"];
  /** the node whose agent runs the statement; null: the panel */
  nodeId: string | null;
}

/** The place and login of a database's console; a conflict says why there is none. */
export async function consoleTarget(
  db: Db,
  secrets: Secrets,
  server: repo.ServerRow,
  database: items.DatabaseRow,
  policy: OutboundPolicy,
): Promise<Target> {
  const user = await items.ownUserOf(db.db, database.id);
  if (!user?.password_sealed)
    throw conflict(
      `${database.name} has no user of its own whose password Steward keeps: create one with a grant on it`,
    );
  const who = {
    user: user.name,
    password: secrets.open(user.password_sealed),
    database: database.name,
  };
  if (server.placement === "on-node")
    return { engine: server.engine, server: { kind: "local" }, who, nodeId: server.node_id };
  if (server.host === null || server.port === null)
    throw conflict("the server has no host and port to connect to");
  const refused = await refuseFields(
    [{ field: "host", url: [server.host, Number(server.port)] }],
    policy,
  );
  if (refused) throw conflict(refused.message);
  return {
    engine: server.engine,
    server: {
      kind: "external",
      host: server.host,
      port: Number(server.port),
      tls: { mode: server.tls_mode, ca: server.tls_ca },
    },
    who,
    nodeId: server.via_node_id,
  };
}
