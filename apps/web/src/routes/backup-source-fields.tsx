// The fields of a files source (the directory and its excludes, one glob a line, each refused
// glob named by its line) and the picker of a database source (the account's databases by name).
import { useQuery } from "@tanstack/react-query";
import { TextField } from "../components/text-field.tsx";
import { Field } from "../components/ui/field.tsx";
import { Select, Textarea } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError, fieldErrors } from "../lib/errors.ts";
import { engineName } from "./databases-parts.tsx";

/** The databases of an account, by name (the first 200), for the picker. */
function useDatabases(account: string) {
  return useQuery({
    queryKey: ["databases", "options", account],
    enabled: account !== "",
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/databases", {
          params: { query: { account, limit: 200, sort: "name" } },
        }),
      ).items,
    staleTime: 30_000,
  });
}

/** The excludes as typed, one glob a line. */
export const linesOf = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

export function FilesFields({
  path,
  onPath,
  excludes,
  onExcludes,
  error,
}: {
  path: string;
  onPath: (path: string) => void;
  excludes: string;
  onExcludes: (excludes: string) => void;
  error: unknown;
}) {
  return (
    <>
      <TextField
        label="Directory"
        field="source.path"
        value={path}
        onValue={onPath}
        placeholder="/srv/www/example.com"
        code
      />
      <Field
        label="Excludes (optional)"
        hint="One glob a line, relative to the directory: cache/**, *.log"
        error={fieldErrors(error, "source.excludes") ?? excludeErrors(error)}
      >
        <Textarea
          className="font-mono text-xs"
          rows={3}
          value={excludes}
          onChange={(e) => onExcludes(e.target.value)}
          spellCheck={false}
        />
      </Field>
    </>
  );
}

export function DatabasePicker({
  account,
  value,
  onChange,
  error,
}: {
  account: string;
  value: string;
  onChange: (id: string) => void;
  error: string | undefined;
}) {
  const databases = useDatabases(account);
  return (
    <Field
      label="Database"
      hint={account ? undefined : "Choose the account first: its databases are listed."}
      error={error}
    >
      <Select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">
          {databases.isPending && account ? "Loading databases…" : "Choose a database"}
        </option>
        {(databases.data ?? []).map((d) => (
          <option key={d.id} value={d.id}>
            {d.name} on {d.server} ({engineName(d.engine)})
          </option>
        ))}
      </Select>
    </Field>
  );
}

/** Errors of single excludes (`source.excludes.0`), one a line. */
function excludeErrors(error: unknown): string | undefined {
  const lines = Array.from({ length: 100 }, (_, i) => fieldError(error, `source.excludes.${i}`))
    .map((m, i) => (m ? `line ${i + 1}: ${m}` : ""))
    .filter(Boolean);
  return lines.length ? lines.join("\n") : undefined;
}
