// The SQL console of one database: a statement run as the database's own user, read-only
// unless write mode is switched on (after a confirmation), the result as a table with the
// columns' types and pages, exports as CSV or JSON, the query library and one's history.
import { getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { PageHeader } from "../components/page.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { useConfirm } from "../components/ui/confirm.tsx";
import { Checkbox, Field } from "../components/ui/field.tsx";
import { Textarea } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import {
  HistoryCard,
  LibraryPicker,
  type QueryResult,
  ResultTable,
} from "./database-console-parts.tsx";

const route = getRouteApi("/app/databases/$id/sql");
const PAGE = 100;

interface Ask {
  sql?: string;
  template?: string;
  params?: Record<string, unknown>;
  cursor?: string;
}

export function DatabaseConsolePage() {
  const { id } = route.useParams();
  const confirm = useConfirm();
  const [sql, setSql] = useState("SELECT 1");
  const [write, setWrite] = useState(false);
  const [asked, setAsked] = useState<Ask | null>(null);
  const [pages, setPages] = useState(0);
  const body = (ask: Ask) => ({
    ...ask,
    mode: write ? ("write" as const) : ("read" as const),
    ...(write ? { confirm: true } : {}),
    limit: PAGE,
  });
  const run = useApiMutation(
    async (ask: Ask): Promise<QueryResult> =>
      unwrap(
        await api.POST("/api/v1/databases/{id}/query", {
          params: { path: { id } },
          body: body(ask),
        }),
      ),
    { invalidate: [["database-queries", id]] },
  );
  const start = (ask: Ask) => {
    setAsked(ask);
    setPages(1);
    run.mutate(ask);
  };
  const result = run.data;

  async function exportAs(format: "csv" | "json") {
    const answer = await api.POST("/api/v1/databases/{id}/query", {
      params: { path: { id }, query: { format } },
      body: body({ ...asked, cursor: undefined }),
      parseAs: "blob",
    });
    if (!answer.response.ok || !(answer.data instanceof Blob)) return;
    const link = document.createElement("a");
    link.href = URL.createObjectURL(answer.data);
    link.download = `query.${format}`;
    link.click();
    URL.revokeObjectURL(link.href);
  }

  async function switchMode(on: boolean) {
    if (
      on &&
      !(await confirm({
        title: "Switch to write mode?",
        description:
          "Statements then change data: each one is committed as soon as it runs. Read mode rolls everything back.",
        confirmLabel: "Write mode",
      }))
    )
      return;
    setWrite(on);
  }

  return (
    <div className="grid grid-cols-1 gap-4">
      <PageHeader
        title="SQL console"
        description="Runs one statement as the database's own user, with a timeout. Read mode runs it in a read-only transaction rolled back after."
        actions={
          write ? <Badge tone="danger">write mode</Badge> : <Badge tone="ok">read-only</Badge>
        }
      />
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <Card title="Statement">
          <form
            className="grid gap-3"
            onSubmit={(e) => {
              e.preventDefault();
              start({ sql });
            }}
          >
            <Field
              label="SQL"
              error={fieldError(run.error, "sql") ?? fieldError(run.error, "body.sql")}
            >
              <Textarea
                rows={8}
                className="font-mono text-sm"
                spellCheck={false}
                value={sql}
                onChange={(e) => setSql(e.target.value)}
              />
            </Field>
            <Checkbox
              label="Write mode"
              hint="Commits what the statement changes (admins of the account only)."
              checked={write}
              onChange={(on) => void switchMode(on)}
            />
            <ErrorAlert error={unshownError(run.error, ["sql", "body.sql"])} />
            <div className="flex flex-wrap gap-2">
              <Button type="submit" busy={run.isPending} variant={write ? "danger" : "primary"}>
                Run
              </Button>
              <Button variant="secondary" disabled={!result} onClick={() => void exportAs("csv")}>
                Export CSV
              </Button>
              <Button variant="secondary" disabled={!result} onClick={() => void exportAs("json")}>
                Export JSON
              </Button>
            </div>
          </form>
        </Card>
        <LibraryPicker
          busy={run.isPending}
          onRun={(template, params) => {
            setSql(template.sql);
            start({ template: template.id, params });
          }}
        />
      </div>
      {result ? (
        <Card
          title={`Result${pages > 1 ? `, page ${pages}` : ""}`}
          actions={
            <>
              <Button
                size="sm"
                variant="secondary"
                disabled={pages <= 1}
                onClick={() => asked && start({ ...asked, cursor: undefined })}
              >
                First page
              </Button>
              <Button
                size="sm"
                variant="secondary"
                disabled={!result.nextCursor}
                onClick={() => {
                  if (!asked || !result.nextCursor) return;
                  const next = { ...asked, cursor: result.nextCursor };
                  setAsked(next);
                  setPages(pages + 1);
                  run.mutate(next);
                }}
              >
                Next page
              </Button>
            </>
          }
        >
          <p className="mb-2 text-xs text-fg-muted">
            {`${result.rowCount} row(s) in ${result.durationMs} ms${result.truncated ? "; more follow" : ""}`}
          </p>
          <ResultTable result={result} />
        </Card>
      ) : null}
      <HistoryCard id={id} onUse={setSql} />
    </div>
  );
}
