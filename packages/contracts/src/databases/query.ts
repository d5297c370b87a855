// The SQL console (issue 14): a statement run on one database as that database's own user,
// read-only unless write mode is asked and confirmed, with a statement timeout, a page of rows
// at a time (a cursor for the next), columns with their types; the history of one's queries.
import { z } from "zod";
import { host as targetHost } from "../monitors/settings.ts";
import { page } from "../pagination.ts";
import { id, isoTime, port } from "../validators.ts";
import { userPassword } from "./actions.ts";
import { databaseEngine, databaseNameProblem, nameShape } from "./names.ts";
import { queryTemplateId } from "./query-library.ts";
import { databaseTls } from "./settings.ts";

export const QUERY_MAX_CHARS = 100_000;
export const QUERY_PAGE_MAX = 1000;

export const queryMode = z.enum(["read", "write"], { error: "must be read or write" });
export type QueryMode = z.infer<typeof queryMode>;

export const querySql = z
  .string()
  .min(1, "must not be empty")
  .max(QUERY_MAX_CHARS, `must be at most ${QUERY_MAX_CHARS} characters`)
  .refine((s) => !s.includes("\u0000"), "must not contain NUL bytes");

export const queryRequest = z
  .strictObject({
    /** the statement; or `template` (the query library's) with its `params` */
    sql: querySql.optional(),
    template: queryTemplateId.optional(),
    params: z.record(z.string(), z.unknown()).optional(),
    /** read (default): a transaction that is rolled back; write: committed, needs confirm */
    mode: queryMode.default("read"),
    /** write mode asks for it */
    confirm: z.boolean().optional(),
    /** rows per page */
    limit: z
      .int()
      .min(1, "must be at least 1")
      .max(QUERY_PAGE_MAX, `must be at most ${QUERY_PAGE_MAX}`)
      .default(100),
    /** the previous page's nextCursor (read mode only) */
    cursor: z.string().max(200, "must be at most 200 characters").optional(),
    /** the statement timeout */
    timeoutSeconds: z
      .int()
      .min(1, "must be at least 1")
      .max(300, "must be at most 300")
      .default(30),
  })
  .refine((r) => (r.sql === undefined) !== (r.template === undefined), {
    path: ["sql"],
    message: "give either sql or a template of the query library (not both)",
  });
export type QueryRequest = z.infer<typeof queryRequest>;

/** `format` of an export (or the Accept header: text/csv, application/x-ndjson) */
export const queryFormat = z.enum(["json", "csv"], { error: "must be json or csv" });
export const queryExportQuery = z.strictObject({ format: queryFormat.optional() });

export const queryColumn = z.object({
  name: z.string(),
  /** the engine's type name (int4, varchar, DECIMAL…) */
  type: z.string(),
});
export type QueryColumn = z.infer<typeof queryColumn>;

export const queryResult = z.object({
  columns: z.array(queryColumn),
  /** each row's cells in the columns' order: text, numbers, booleans, JSON, or null */
  rows: z.array(z.array(z.unknown())),
  /** rows on this page, or the rows a write changed */
  rowCount: z.int(),
  /** more rows follow this page */
  truncated: z.boolean(),
  nextCursor: z.string().nullable(),
  durationMs: z.number(),
});
export type QueryResult = z.infer<typeof queryResult>;

export const queryHistoryItem = z.object({
  id,
  databaseId: id,
  sql: z.string(),
  mode: queryMode,
  outcome: z.enum(["success", "failure"]),
  /** why it failed, in words */
  error: z.string().nullable(),
  rowCount: z.int().nullable(),
  durationMs: z.number(),
  at: isoTime,
});
export type QueryHistoryItem = z.infer<typeof queryHistoryItem>;
export const queryHistoryPage = page(queryHistoryItem);

/** A page of a statement's rows, as the runner (panel or agent) answers it. */
export const queryPageResult = queryResult.pick({
  columns: true,
  rows: true,
  rowCount: true,
  truncated: true,
});
export type QueryPageResult = z.infer<typeof queryPageResult>;

/**
 * The input of the agent operation `database.query`: one console statement run by the node
 * as the database's own user (its password, opened by the panel for this request), on the
 * node's own server (`local`) or an external one the node reaches; `skip` rows passed over,
 * `limit` kept. Names pass the engine's name validator here, on both sides of the wire.
 */
export const databaseQueryInput = z
  .strictObject({
    engine: databaseEngine,
    server: z.discriminatedUnion("kind", [
      z.strictObject({ kind: z.literal("local") }),
      z.strictObject({ kind: z.literal("external"), host: targetHost, port, tls: databaseTls }),
    ]),
    login: z.strictObject({ user: nameShape, password: userPassword, database: nameShape }),
    statement: z.strictObject({
      sql: querySql,
      /** a template's values, bound by the driver */
      params: z.array(z.union([z.string().max(200), z.number()])).max(20),
      mode: queryMode,
      timeoutMs: z.int().min(1000).max(300_000),
    }),
    window: z.strictObject({
      skip: z.int().min(0).max(1_000_000_000),
      limit: z.int().min(1).max(QUERY_PAGE_MAX),
    }),
  })
  .superRefine((input, ctx) => {
    for (const [field, kind] of [
      ["user", "user"],
      ["database", "database"],
    ] as const) {
      const problem = databaseNameProblem(input.engine, kind, input.login[field]);
      if (problem) ctx.addIssue({ code: "custom", path: ["login", field], message: problem });
    }
  });
export type DatabaseQueryInput = z.output<typeof databaseQueryInput>;
export const databaseQueryOutput = queryPageResult;
