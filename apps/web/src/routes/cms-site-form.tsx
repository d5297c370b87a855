// A CMS site's form in a dialog (docs/cms.md): the account's new WordPress site, its address,
// the user and application password the connector is reached with, its time zone, and the
// account's site hosting it with the backup plan of its files and database (optional). The API
// diagnoses the connection and saves the site whatever the diagnosis says; its page shows it.
import { useState } from "react";
import { ApiForm } from "../components/api-form.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { api, unwrap } from "../lib/api.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { cmsKeys } from "./cms-parts.tsx";
import { HostingFields } from "./cms-site-hosting.tsx";

interface SiteInput {
  account: string;
  name: string;
  url: string;
  username: string;
  applicationPassword: string;
  timezone: string;
  site?: string;
  backupPlan?: string;
}

export function CmsSiteDialog({
  open,
  onOpenChange,
  account,
  onSaved,
}: DialogProps & { account: string; onSaved: (id: string) => void }) {
  const save = useApiMutation(
    async (body: SiteInput) => unwrap(await api.POST("/api/v1/cms-sites", { body })),
    {
      invalidate: [cmsKeys.list(account)],
      onSuccess: (saved) => {
        onOpenChange(false);
        onSaved(saved.id);
      },
    },
  );
  return (
    <FormDialog
      open={open}
      onOpenChange={resetOnClose(save, onOpenChange)}
      title="Add a WordPress site"
    >
      {(done) => <SiteForm account={account} mutation={save} onCancel={done} />}
    </FormDialog>
  );
}

function SiteForm({
  account,
  mutation,
  onCancel,
}: {
  account: string;
  mutation: Parameters<typeof ApiForm<SiteInput>>[0]["mutation"];
  onCancel: () => void;
}) {
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [timezone, setTimezone] = useState(
    () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
  );
  const [site, setSite] = useState("");
  const [plan, setPlan] = useState("");
  return (
    <ApiForm
      mutation={mutation}
      input={{
        account,
        name: name.trim(),
        url: url.trim(),
        username: username.trim(),
        applicationPassword: password.trim(),
        timezone: timezone.trim(),
        ...(site ? { site, backupPlan: plan || undefined } : {}),
      }}
      shown={[
        ...["account", "name", "url", "username", "applicationPassword", "timezone"],
        ...["site", "backupPlan"],
      ]}
      submitLabel="Add site"
      onCancel={onCancel}
    >
      <TextField label="Name" field="name" value={name} onValue={setName} maxLength={63} />
      <TextField
        label="Address"
        field="url"
        hint="The site's root, as WordPress calls itself (Settings → General)."
        value={url}
        onValue={setUrl}
        placeholder="https://blog.example.com"
        maxLength={2048}
        code
      />
      <TextField
        label="WordPress user"
        field="username"
        hint="An administrator."
        value={username}
        onValue={setUsername}
        maxLength={60}
        code
      />
      <TextField
        label="Application password"
        field="applicationPassword"
        hint="Users → Profile → Application Passwords in WordPress; shown once there. Sealed here, never shown again."
        type="password"
        value={password}
        onValue={setPassword}
        maxLength={64}
        code
      />
      <TextField
        label="Time zone"
        field="timezone"
        hint="Where the site's visitors are: update windows are read in it."
        value={timezone}
        onValue={setTimezone}
        maxLength={64}
        code
      />
      <HostingFields account={account} site={site} onSite={setSite} plan={plan} onPlan={setPlan} />
    </ApiForm>
  );
}
