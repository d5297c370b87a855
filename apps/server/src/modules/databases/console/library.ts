// The statement a console request runs: its own text, or a query library template with its
// parameters validated (contracts) and passed to the driver as values, in the template's order.
import {
  type DatabaseEngine,
  findTemplate,
  type QueryRequest,
  templateParams,
} from "@steward/contracts/databases";
import { invalid } from "../../../lib/errors.ts";

export interface Statement {
  sql: string;
  /** a template's values: counts and names */
  params: (string | number)[];
  /** admin: a change Steward makes as the server's admin (admin-template.ts), not a statement */
  runs: "console" | "admin";
}

export function statementOf(engine: DatabaseEngine, request: QueryRequest): Statement {
  if (request.sql !== undefined) return { sql: request.sql, params: [], runs: "console" };
  const id = request.template ?? "";
  const template = findTemplate(engine, id);
  if (!template)
    throw invalid(
      "body.template",
      `the query library has no ${id} for ${engine} (GET /api/v1/query-library?engine=${engine})`,
    );
  const parsed = templateParams(template).safeParse(request.params ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.join(".") || (issue?.code === "unrecognized_keys" ? issue.keys[0] : "");
    throw invalid(`body.params${key ? `.${key}` : ""}`, issue?.message ?? "invalid");
  }
  const values = parsed.data as Record<string, unknown>;
  return {
    sql: template.sql,
    params: template.params.map((p) => values[p.name] as string | number),
    runs: template.runs,
  };
}
