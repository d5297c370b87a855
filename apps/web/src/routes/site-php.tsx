// A PHP site's "PHP" card: the php.ini values of its own pool from the allow-list (sizes,
// numbers, a time zone, on/off flags); empty means PHP's default. Saving applies the site.
import { isPhpFlag, PHP_FLAGS, PHP_VALUES } from "@steward/contracts/agent";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { TextField } from "../components/text-field.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import type { Site } from "./hosting-parts.tsx";

const VALUE_KEYS = Object.keys(PHP_VALUES);
const FLAG_KEYS = Object.keys(PHP_FLAGS);
const NUMBERS = new Set([
  "max_execution_time",
  "max_input_time",
  "max_input_vars",
  "max_file_uploads",
  "default_socket_timeout",
  "session.gc_maxlifetime",
]);
const HINTS: Record<string, string> = {
  memory_limit: "e.g. 256M",
  upload_max_filesize: "e.g. 64M",
  post_max_size: "e.g. 64M (at least the upload size)",
  max_execution_time: "seconds",
  "date.timezone": "e.g. Europe/Paris",
};

type Values = Record<string, string>;

/** The form's text as the API's settings: empty is left out, numbers and flags typed. */
function settingsOf(values: Values): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(values)) {
    if (v === "") continue;
    if (isPhpFlag(key)) out[key] = v === "on";
    else out[key] = NUMBERS.has(key) && /^-?[0-9]+$/.test(v) ? Number(v) : v;
  }
  return out;
}

export function SitePhpCard({ site }: { site: Site }) {
  const path = { params: { path: { id: site.id } } };
  const query = useQuery({
    queryKey: ["site", site.id, "php"],
    queryFn: async () => unwrap(await api.GET("/api/v1/sites/{id}/php", path)),
  });
  const [values, setValues] = useState<Values>({});
  useEffect(() => {
    if (!query.data) return;
    const v: Values = {};
    for (const [key, value] of Object.entries(query.data.settings))
      v[key] = typeof value === "boolean" ? (value ? "on" : "off") : String(value);
    setValues(v);
  }, [query.data]);
  const save = useApiMutation(
    async (settings: Record<string, unknown>) =>
      unwrap(
        await api.PUT("/api/v1/sites/{id}/php", {
          ...path,
          body: { settings },
        }),
      ),
    { invalidate: [["site", site.id], ["sites"], ["tasks"]] },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(settingsOf(values));
  };
  const set = (key: string) => (v: string) => setValues({ ...values, [key]: v });
  return (
    <Card title="PHP">
      <p className="mb-3 text-sm text-fg-muted">
        php.ini values of this site's own PHP-FPM pool; the site's code cannot change them. Empty:
        PHP's default.
      </p>
      <form className="grid items-start gap-3 sm:grid-cols-2" onSubmit={submit}>
        {VALUE_KEYS.map((key) => (
          <TextField
            key={key}
            label={key}
            hint={HINTS[key]}
            code
            value={values[key] ?? ""}
            error={fieldError(save.error, `settings.${key}`)}
            onValue={set(key)}
          />
        ))}
        {FLAG_KEYS.map((key) => (
          <Field key={key} label={key}>
            <Select value={values[key] ?? ""} onChange={(e) => set(key)(e.target.value)}>
              <option value="">default</option>
              <option value="on">on</option>
              <option value="off">off</option>
            </Select>
          </Field>
        ))}
        <div className="sm:col-span-2 flex justify-end">
          <Button type="submit" busy={save.isPending}>
            Save PHP settings
          </Button>
        </div>
      </form>
      <ErrorAlert
        error={unshownError(
          save.error,
          VALUE_KEYS.map((key) => `settings.${key}`),
        )}
        className="mt-3"
      />
    </Card>
  );
}
