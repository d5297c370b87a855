// A PHP site's writable directories (docs/sites.md#writable-directories), on its "Files and
// PHP" card: one directory of the document root per line. Saving applies the site: in the
// account's layout its PHP may then write those (and only those) directories of its code.
import { type FormEvent, useEffect, useState } from "react";
import { ListField } from "../components/list-field.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { api, unwrap } from "../lib/api.ts";
import { unshownError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import type { Site } from "./hosting-parts.tsx";
import { listError, parseNames } from "./site-form-parts.tsx";

export function SiteWritableDirs({ site }: { site: Site }) {
  const saved = site.writableDirs.join("\n");
  const [text, setText] = useState(saved);
  useEffect(() => setText(saved), [saved]);
  const dirs = parseNames(text);
  const save = useApiMutation(
    async () =>
      unwrap(
        await api.PATCH("/api/v1/sites/{id}", {
          params: { path: { id: site.id } },
          body: { writableDirs: dirs },
        }),
      ),
    { invalidate: [["sites"], ["site", site.id], ["tasks"]] },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };
  const error = listError(save.error, "writableDirs", dirs);
  return (
    <form className="mt-4 grid gap-2" onSubmit={submit} noValidate>
      <ListField
        label="Writable directories"
        hint="Directories of the document root its PHP may write, one per line: uploads and caches. In the account's layout PHP can write nothing else of the site's code; nginx never runs a .php file below them. WordPress: wp-content/uploads; Drupal: sites/default/files; Joomla: images (and cache, tmp)."
        error={error}
        value={text}
        onValue={setText}
        className="min-h-16"
      />
      <ErrorAlert error={error ? null : unshownError(save.error, [])} />
      <div className="flex justify-end">
        <Button type="submit" variant="secondary" busy={save.isPending} disabled={text === saved}>
          Save writable directories
        </Button>
      </div>
    </form>
  );
}
