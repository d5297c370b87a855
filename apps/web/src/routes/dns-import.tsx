// Importing a zone file (RFC 1035) into a zone: pasted or read from a file, its records
// replacing the zone's or added to them. The API reads it whole and checks it with the zone's
// rules first; a refusal names its line ("line 4: …"), shown at the text.
import { useState } from "react";
import { ApiForm } from "../components/api-form.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { Checkbox, Field } from "../components/ui/field.tsx";
import { Textarea } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldErrors } from "../lib/errors.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { toast } from "../lib/toast.ts";
import type { ZoneInfo } from "./dns-parts.tsx";

interface ImportInput {
  zoneFile: string;
  replace: boolean;
}

export function ImportDialog({ zone, open, onOpenChange }: DialogProps & { zone: ZoneInfo }) {
  const save = useApiMutation(
    async (body: ImportInput) =>
      unwrap(
        await api.POST("/api/v1/dns/zones/{id}/import", {
          params: { path: { id: zone.id } },
          body,
        }),
      ),
    {
      invalidate: [["dns-records", zone.id], ["dns-zone", zone.id], ["dns-zones"]],
      onSuccess: () => {
        onOpenChange(false);
        toast("Zone file imported");
      },
    },
  );
  return (
    <FormDialog
      open={open}
      onOpenChange={resetOnClose(save, onOpenChange)}
      title={`Import into ${zone.name}`}
      description="An RFC 1035 zone file. Its SOA is skipped (Steward writes its own); $INCLUDE and $GENERATE are refused."
    >
      {(done) => <ImportForm mutation={save} onCancel={done} />}
    </FormDialog>
  );
}

function ImportForm({
  mutation,
  onCancel,
}: {
  mutation: ReturnType<typeof useApiMutation<ImportInput, unknown>>;
  onCancel: () => void;
}) {
  const [zoneFile, setZoneFile] = useState("");
  const [replace, setReplace] = useState(true);
  // the API names the line: "line 4: must be an IPv4 address"; each line of it on its own
  const error = fieldErrors(mutation.error, "zoneFile");
  return (
    <ApiForm
      mutation={mutation}
      input={{ zoneFile, replace }}
      shown={["zoneFile"]}
      submitLabel="Import"
      onCancel={onCancel}
    >
      <Field label="Zone file" error={error}>
        <Textarea
          className="min-h-64 font-mono text-xs"
          spellCheck={false}
          placeholder={"$ORIGIN example.com.\n@ 3600 IN A 192.0.2.1\nwww IN CNAME @"}
          value={zoneFile}
          onChange={(e) => setZoneFile(e.target.value)}
        />
      </Field>
      <label className="text-sm">
        <span className="sr-only">Read a file</span>
        <input
          type="file"
          accept=".zone,.txt,text/plain"
          className="text-sm"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (file) setZoneFile(await file.text());
          }}
        />
      </label>
      <Checkbox
        label="Replace the zone's records"
        hint="Unchecked, the file's records are added to the ones the zone has."
        checked={replace}
        onChange={setReplace}
      />
    </ApiForm>
  );
}
