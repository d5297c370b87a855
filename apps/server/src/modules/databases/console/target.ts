// Where a console statement runs: the database's server (an external one reached by the
// panel after the outbound policy allows its host and port, with the server's TLS), logged in
// as the database's own user (its password opened from its seal), never the server's admin.
import type { Credentials, Place } from "@steward/agent/databases";
import type { DatabaseEngine } from "@steward/contracts/databases";
import type { OutboundPolicy } from "@steward/contracts/net";
import type { Secrets } from "../../../crypto/secrets.ts";
import type { Db } from "../../../db/open.ts";
import { conflict } from "../../../lib/errors.ts";
import { refuseFields } from "../../../lib/outbound.ts";
import * as items from "../items-repo.ts";
import type * as repo from "../repo.ts";

export interface Target {
  engine: DatabaseEngine;
  place: Place;
  who: Credentials;
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
  if (server.placement !== "external" || server.host === null || server.port === null)
    throw conflict(
      "the console of a node's own server runs through its agent, which this version of the panel does not ask yet",
    );
  if (server.via_node_id !== null)
    throw conflict("connecting through a node is not built yet: the panel connects");
  const refused = await refuseFields(
    [{ field: "host", url: [server.host, Number(server.port)] }],
    policy,
  );
  if (refused) throw conflict(refused.message);
  return {
    engine: server.engine,
    place: {
      kind: "tcp",
      host: server.host,
      port: Number(server.port),
      tls: { mode: server.tls_mode, ca: server.tls_ca },
    },
    who: {
      user: user.name,
      password: secrets.open(user.password_sealed),
      database: database.name,
    },
  };
}
