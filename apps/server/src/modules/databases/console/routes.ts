// The SQL console's routes: a statement on a database (a page as JSON, or the whole result
// exported as CSV or JSON when `format` or the Accept header asks), and one's history.
import { sortQuery } from "@steward/contracts";
import {
  QUERY_LIBRARY,
  queryExportQuery,
  queryHistoryPage,
  queryLibrary,
  queryLibraryQuery,
  queryRequest,
  queryResult,
} from "@steward/contracts/databases";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { declareRoutes, route } from "../../../http/declare.ts";
import { errors, idParams, paged, typed } from "../../../http/route.ts";
import type { Services } from "../../../services.ts";
import { EXPORT_TYPES, type ExportFormat, exportWriter } from "./export.ts";
import { historyOrder } from "./repo.ts";

const tags = ["databases"];

/** The export asked for: `format`, else an Accept of CSV; none: a page. */
function exportOf(req: FastifyRequest, format: ExportFormat | undefined): ExportFormat | null {
  if (format) return format;
  return /\btext\/csv\b/.test(req.headers.accept ?? "") ? "csv" : null;
}

export function databaseConsoleRoutes(app: FastifyInstance, svc: Services) {
  const r = typed(app);
  r.post(
    "/api/v1/databases/:id/query",
    {
      config: { action: "database.query" },
      schema: {
        tags,
        description:
          "Runs one statement as the database's own user: read mode (default) in a read-only transaction rolled back after, write mode committed (confirm: true, the account's admins). A page of rows with the columns' types and nextCursor; with format=csv|json (or Accept: text/csv) the whole result streamed as a download. Audited: the statement, never the results.",
        params: idParams,
        querystring: queryExportQuery,
        body: queryRequest,
        response: { 200: queryResult, ...errors },
      },
    },
    async (req, reply) => {
      const format = exportOf(req, req.query.format);
      if (!format) return svc.databaseConsole.run(req.ctx, req.params.id, req.body);
      const writer = exportWriter(format);
      const { done } = await svc.databaseConsole.stream(
        req.ctx,
        req.params.id,
        req.body,
        writer.sink,
        format,
      );
      void done.then((error) => writer.end(error));
      // a client that goes away stops the statement (the writer answers false)
      reply.raw.on("close", () => writer.out.destroy());
      return reply
        .type(EXPORT_TYPES[format])
        .header("content-disposition", `attachment; filename="query.${format}"`)
        .send(writer.out as never);
    },
  );
  declareRoutes(app, tags, [
    route({
      method: "GET",
      url: "/api/v1/query-library",
      action: "query-library.list",
      description:
        "The SQL console's query library: per engine, read-only templates (largest tables, running queries, locks, grants of a user, slow query settings, table sizes, index usage) and their parameters; run one with POST /api/v1/databases/{id}/query {template, params}.",
      query: queryLibraryQuery,
      reply: queryLibrary,
      handle: ({ query }) => ({
        items: QUERY_LIBRARY.filter((t) => !query.engine || t.engine === query.engine),
      }),
    }),
    route({
      method: "GET",
      url: "/api/v1/databases/:id/queries",
      action: "database.queries",
      description: "The caller's own statements on the database, newest first (no results kept).",
      params: idParams,
      query: paged({ sort: sortQuery(["createdAt"]) }),
      reply: queryHistoryPage,
      handle: ({ ctx, params, query }) =>
        svc.databaseConsole.history(ctx, params.id, {
          limit: query.limit,
          walk: historyOrder(query.sort ?? "-createdAt", query.cursor),
        }),
    }),
  ]);
}
