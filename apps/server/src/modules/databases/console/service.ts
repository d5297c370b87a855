// The SQL console through the API: a statement on one database, authorized by the console's
// policy (reading needs operate on the server, writing admin and confirm), run as the
// database's own user with a timeout, a page at a time or exported whole as a stream; each
// run kept in the actor's history and audited (the statement, its mode, rows and duration;
// never its results).
import type { RowSink } from "@steward/agent/databases";
import type { QueryRequest, QueryResult } from "@steward/contracts/databases";
import { enforce } from "../../../access/decision.ts";
import { databaseConsole as policy } from "../../../access/policies/database-console.ts";
import type { Ctx } from "../../../access/types.ts";
import type { AgentClient } from "../../../agents/client.ts";
import { changeOf, recordAudit } from "../../../audit/log.ts";
import { AppError, conflict, invalid, notFound } from "../../../lib/errors.ts";
import { newId } from "../../../lib/ids.ts";
import type { Walk } from "../../../lib/keyset.ts";
import { monitorPolicy } from "../../monitors/policy.ts";
import * as items from "../items-repo.ts";
import * as databases from "../repo.ts";
import type { DatabasesDeps } from "../service.ts";
import { createDatabaseUsersService } from "../users-service.ts";
import { runAdminTemplate } from "./admin-template.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { statementOf } from "./library.ts";
import * as repo from "./repo.ts";
import { consoleTarget } from "./target.ts";
import { type Statement as ConsoleStatement, createConsoleTransport } from "./transport.ts";

type PolicySettings = Parameters<typeof monitorPolicy>[0];

type Run = QueryRequest;

/** The agent's errors as answers: the statement's problems name `sql`. */
function answerOf(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const e = error as { kind?: string; message?: string };
  if (e.kind === "refused" || e.kind === "sql" || e.kind === "timeout")
    return invalid("sql", e.message ?? "the statement failed");
  if (e.kind === "connection") return conflict(e.message ?? "could not connect");
  return new AppError("INTERNAL", "the console could not run the statement");
}

export function createDatabaseConsoleService({
  db,
  secrets,
  settings,
  execute,
  agents,
}: DatabasesDeps & { agents: () => Promise<AgentClient> }) {
  const k = db.db;
  const transport = createConsoleTransport(agents);
  const users = createDatabaseUsersService({ db, secrets, execute });

  /** The database, its server and where its console runs, for `ctx` running in `mode`. */
  async function prepare(ctx: Ctx, databaseId: string, run: Run) {
    const database = await items.findDatabase(k, databaseId);
    const server = database && (await databases.findServer(k, database.server_id));
    // not visible and not existing look the same
    if (!database || !server || !policy.canSee(ctx, server).allowed)
      throw notFound(`database ${databaseId}`);
    enforce(ctx, policy.canRun(ctx, server, run.mode));
    if (run.mode === "write" && run.confirm !== true)
      throw invalid("body.confirm", "write mode changes data: send confirm: true to run it");
    if (run.mode === "write" && run.cursor !== undefined)
      throw invalid("body.cursor", "write mode runs once: only read mode pages");
    const { sql, params, runs } = statementOf(server.engine, run);
    const statement: ConsoleStatement = {
      sql,
      params,
      mode: run.mode,
      timeoutMs: run.timeoutSeconds * 1000,
    };
    if (runs === "admin") {
      if (run.mode !== "write")
        throw invalid("body.mode", "this template changes the server: run it in write mode");
      return { database, server, target: null, statement, skip: 0 };
    }
    const skip = decodeCursor({ sql, params }, run.cursor);
    const outbound = monitorPolicy(settings as PolicySettings, server.account_id);
    const target = await consoleTarget(db, secrets, server, database, outbound);
    return { database, server, target, statement, skip };
  }

  /** The history row and the audit event of a run, in one transaction. */
  async function remember(
    ctx: Ctx,
    database: items.DatabaseRow,
    run: Run & { statement: ConsoleStatement },
    ended: { started: number; rowCount: number | null; error: string | null; exported?: string },
  ) {
    const durationMs = Date.now() - ended.started;
    const outcome = ended.error === null ? "success" : "failure";
    await k.transaction().execute(async (trx) => {
      await repo.insertQuery(trx, {
        id: newId(repo.QUERY_ID),
        database_id: database.id,
        account_id: database.account_id,
        actor_id: ctx.actor?.userId ?? "",
        statement: run.statement.sql,
        mode: run.mode,
        outcome,
        error: ended.error,
        row_count: ended.rowCount,
        duration_ms: durationMs,
        at: ended.started,
      });
      await recordAudit(trx, ctx, {
        ...changeOf(
          "database",
          database.id,
          "query",
          {
            sql: run.statement.sql,
            ...(run.template ? { template: run.template, params: run.statement.params } : {}),
            mode: run.mode,
            rowCount: ended.rowCount,
            durationMs,
            ...(ended.exported ? { exported: ended.exported } : {}),
          },
          database.account_id,
        ),
        outcome,
      });
    });
    return durationMs;
  }

  return {
    /** One page of the statement's rows (or what a write changed). */
    async run(ctx: Ctx, databaseId: string, run: Run): Promise<QueryResult> {
      const { database, server, target, statement, skip } = await prepare(ctx, databaseId, run);
      const started = Date.now();
      try {
        const page = target
          ? await transport.page(target, statement, { skip, limit: run.limit })
          : await runAdminTemplate(
              users,
              ctx,
              { server, database },
              run.template ?? "",
              statement.params,
            );
        const durationMs = await remember(
          ctx,
          database,
          { ...run, statement },
          {
            started,
            rowCount: page.rowCount,
            error: null,
          },
        );
        return {
          ...page,
          nextCursor:
            run.mode === "read" && page.truncated
              ? encodeCursor(statement, skip + page.rows.length)
              : null,
          durationMs,
        };
      } catch (error) {
        const answer = answerOf(error);
        await remember(
          ctx,
          database,
          { ...run, statement },
          { started, rowCount: null, error: answer.message },
        );
        throw answer;
      }
    },

    /**
     * Streams every row of the statement to `sink` (an export). Answers once the columns are
     * known (a statement that fails at once is an error answer) with the end: null, or the
     * error that cut the stream.
     */
    async stream(ctx: Ctx, databaseId: string, run: Run, sink: RowSink, format: string) {
      const { database, target, statement } = await prepare(ctx, databaseId, run);
      if (!target)
        throw invalid("body.template", "a template that changes the server has no export");
      const started = Date.now();
      let columnsSeen: () => void = () => {};
      const columnsKnown = new Promise<null>((resolve) => {
        columnsSeen = () => resolve(null);
      });
      const ended = (rowCount: number | null, error: unknown) => {
        const answer = error === null ? null : answerOf(error);
        const failed = answer?.message ?? null;
        return remember(
          ctx,
          database,
          { ...run, statement },
          {
            started,
            rowCount,
            error: failed,
            exported: format,
          },
        ).then(() => answer);
      };
      const done = transport
        .stream(target, statement, {
          columns: (columns) => {
            sink.columns(columns);
            columnsSeen();
          },
          row: (cells) => sink.row(cells),
        })
        .then(
          (ran) => ended(ran.rowCount, null),
          (error: unknown) => ended(null, error),
        );
      const first = await Promise.race([columnsKnown, done]);
      if (first) throw first;
      return { done };
    },

    /** The actor's own statements on a database, newest first. */
    async history(ctx: Ctx, databaseId: string, f: { limit: number; walk: Walk }) {
      const database = await items.findDatabase(k, databaseId);
      const server = database && (await databases.findServer(k, database.server_id));
      if (!database || !server || !policy.canSee(ctx, server).allowed)
        throw notFound(`database ${databaseId}`);
      return repo.listQueries(k, { databaseId, actorId: ctx.actor?.userId ?? "", ...f });
    },
  };
}
