// The console's two transports, behind one service (service.ts keeps every check): the panel
// runs the statement itself (an external server it reaches), or a node's agent runs it as the
// operation `database.query` (the node's own server, or an external one reached through the
// node), answering the same page. Across requests the statement is run again past the rows
// already seen (the cursor's `skip`): no cursor is kept open between requests, on either side.
import type { RowSink } from "@steward/agent/databases";
import type { QueryPageResult } from "@steward/contracts/databases";
import type { AgentClient } from "../../../agents/client.ts";
import { AppError, conflict, invalid } from "../../../lib/errors.ts";
import type { Target } from "./target.ts";

export interface Statement {
  sql: string;
  params: (string | number)[];
  mode: "read" | "write";
  timeoutMs: number;
}

const runner = () => import("@steward/agent/databases");

/** The place the panel itself connects to (an external server only). */
function panelPlace(target: Target) {
  if (target.server.kind !== "external")
    throw conflict("a node's own server is reached through its agent, and this one has no node");
  return { ...target.server, kind: "tcp" as const };
}

/** An agent's failed run as the console's answer: the statement's problems name `sql`. */
function failureOf(error: { code: string; message: string } | undefined): AppError {
  const message = error?.message ?? "the node did not run the statement";
  if (error?.code === "QUERY_FAILED") return invalid("sql", message);
  return conflict(`the node did not run the statement: ${message}`);
}

export function createConsoleTransport(agents: () => Promise<AgentClient>) {
  return {
    /** One page: `skip` rows passed over, `limit` kept. */
    async page(
      target: Target,
      statement: Statement,
      window: { skip: number; limit: number },
    ): Promise<QueryPageResult> {
      if (target.nodeId === null) {
        const { queryPage } = await runner();
        return queryPage(target.engine, panelPlace(target), target.who, statement, window);
      }
      let result: Awaited<ReturnType<AgentClient["runOperation"]>>;
      try {
        result = await (await agents()).runOperation(target.nodeId, "database.query", {
          engine: target.engine,
          server: target.server,
          login: target.who,
          statement,
          window,
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new AppError("NOT_READY", `the node's agent did not run the statement: ${message}`);
      }
      if (result.status !== "ok") throw failureOf(result.error);
      return result.output as QueryPageResult;
    },

    /** Every row to `sink` (an export): the panel's own connections only, for now. */
    async stream(target: Target, statement: Statement, sink: RowSink) {
      if (target.nodeId !== null)
        throw conflict(
          "exporting a whole result through a node's agent is not built yet: page through it with nextCursor",
        );
      const { streamStatement } = await runner();
      return streamStatement(target.engine, panelPlace(target), target.who, statement, sink);
    },
  };
}
