// The SQL console page's parts: the result table (each column with its type), the query
// library picker with its parameters, and one's history of the database.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { EmptyState } from "../components/page.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { Field } from "../components/ui/field.tsx";
import { Input, Select } from "../components/ui/input.tsx";
import { api, type Schema, unwrap } from "../lib/api.ts";
import { formatDateTime } from "../lib/format.ts";

export type QueryResult = Schema<"/api/v1/databases/{id}/query", "post">;
type Template = Schema<"/api/v1/query-library", "get">["items"][number];

const cellText = (value: unknown) =>
  value === null || value === undefined
    ? "NULL"
    : typeof value === "object"
      ? JSON.stringify(value)
      : String(value);

/** Rows and cells with keys of their place (they have no identity of their own). */
const keyed = (result: QueryResult) => ({
  columns: result.columns.map((column, at) => ({ ...column, key: `c${at}` })),
  rows: result.rows.map((row, at) => ({
    key: `r${at}`,
    cells: row.map((value, place) => ({ value, key: `c${place}` })),
  })),
});

/** The rows of a page under their columns' names and types. */
export function ResultTable({ result }: { result: QueryResult }) {
  if (result.columns.length === 0)
    return (
      <p className="text-sm">{`${result.rowCount} row(s) changed in ${result.durationMs} ms.`}</p>
    );
  const table = keyed(result);
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" aria-label="Result">
        <thead>
          <tr className="border-b border-border">
            {table.columns.map((c) => (
              <th key={c.key} scope="col" className="px-2 py-1 align-bottom">
                <span className="font-medium">{c.name}</span>
                <span className="block text-xs font-normal text-fg-muted">{c.type}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <tr key={row.key} className="border-b border-border last:border-0">
              {row.cells.map((cell) => (
                <td
                  key={cell.key}
                  className={`px-2 py-1 font-mono text-xs ${cell.value === null ? "text-fg-muted" : ""}`}
                >
                  {cellText(cell.value)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {result.rows.length === 0 ? <EmptyState title="No rows." /> : null}
    </div>
  );
}

/** Picks a template of the query library and its parameters; `onRun` runs it. */
export function LibraryPicker({
  onRun,
  busy,
}: {
  onRun: (template: Template, params: Record<string, unknown>) => void;
  busy: boolean;
}) {
  const library = useQuery({
    queryKey: ["query-library"],
    queryFn: async () => unwrap(await api.GET("/api/v1/query-library", {})),
  });
  const [chosen, setChosen] = useState("");
  const [values, setValues] = useState<Record<string, string>>({});
  const items = library.data?.items ?? [];
  const template = items.find((t) => `${t.engine}:${t.id}` === chosen);
  const engineName = (engine: string) => (engine === "mariadb" ? "MariaDB" : "PostgreSQL");
  return (
    <Card title="Query library">
      <div className="grid gap-3">
        <Field label="Template" hint={template?.description}>
          <Select value={chosen} onChange={(e) => setChosen(e.target.value)}>
            <option value="">Choose a template…</option>
            {items.map((t) => (
              <option key={`${t.engine}:${t.id}`} value={`${t.engine}:${t.id}`}>
                {`${engineName(t.engine)}: ${t.title}`}
              </option>
            ))}
          </Select>
        </Field>
        {template?.params.map((p) => (
          <Field key={p.name} label={p.name} hint={p.description}>
            <Input
              value={values[p.name] ?? String(p.default)}
              onChange={(e) => setValues({ ...values, [p.name]: e.target.value })}
            />
          </Field>
        ))}
        <div>
          <Button
            variant="secondary"
            disabled={!template}
            busy={busy}
            onClick={() => {
              if (!template) return;
              const params = Object.fromEntries(
                template.params.map((p) => {
                  const raw = values[p.name] ?? String(p.default);
                  return [p.name, p.kind === "count" ? Number(raw) : raw];
                }),
              );
              onRun(template, params);
            }}
          >
            Run template
          </Button>
        </div>
      </div>
    </Card>
  );
}

/** One's own statements on the database, newest first; "Use" puts one in the editor. */
export function HistoryCard({ id, onUse }: { id: string; onUse: (sql: string) => void }) {
  const history = useQuery({
    queryKey: ["database-queries", id],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/databases/{id}/queries", {
          params: { path: { id }, query: { limit: 20 } },
        }),
      ),
  });
  const items = history.data?.items ?? [];
  return (
    <Card title="History">
      {items.length === 0 ? (
        <EmptyState title="No statements yet." />
      ) : (
        <ul className="grid grid-cols-1 gap-2" aria-label="History">
          {items.map((q) => (
            <li key={q.id} className="flex items-start justify-between gap-2 text-sm">
              <div className="min-w-0 flex-1">
                <code className="block truncate font-mono text-xs">{q.sql}</code>
                <span className="text-xs wrap-anywhere text-fg-muted">
                  {`${formatDateTime(q.at)} · ${q.mode} · ${q.outcome === "success" ? `${q.rowCount ?? 0} row(s)` : (q.error ?? "failed")} · ${q.durationMs} ms`}
                </span>
              </div>
              <Button size="sm" variant="ghost" onClick={() => onUse(q.sql)}>
                Use
              </Button>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
