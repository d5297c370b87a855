// A status page's form in a dialog: new (its account, slug, title, description, monitors) or
// an edit (the account stays). The API's errors show at their fields.
import { useState } from "react";
import { ApiForm } from "../components/api-form.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { Field } from "../components/ui/field.tsx";
import { Textarea } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { PickField } from "./channel-fields.tsx";
import { MonitorsPicker, type PickedMonitor } from "./status-page-monitors.tsx";
import type { StatusPage } from "./status-pages-parts.tsx";
import { useAccounts } from "./tasks-parts.tsx";

interface PageInput {
  account?: string;
  slug: string;
  title: string;
  description: string;
  monitors: { monitor: string; name?: string }[];
}

export function StatusPageDialog({
  open,
  onOpenChange,
  page,
  onSaved,
}: DialogProps & { page?: StatusPage; onSaved?: (id: string) => void }) {
  const save = useApiMutation(
    async (body: PageInput) =>
      page
        ? unwrap(
            await api.PATCH("/api/v1/status-pages/{id}", {
              params: { path: { id: page.id } },
              body: { ...body, account: undefined },
            }),
          )
        : unwrap(await api.POST("/api/v1/status-pages", { body })),
    {
      invalidate: [["status-pages"], ...(page ? [["status-page", page.id]] : [])],
      onSuccess: (saved) => {
        onOpenChange(false);
        onSaved?.(saved.id);
      },
    },
  );
  return (
    <FormDialog
      open={open}
      onOpenChange={resetOnClose(save, onOpenChange)}
      title={page ? `Edit ${page.title}` : "New status page"}
    >
      {(done) => <PageForm page={page} mutation={save} onCancel={done} />}
    </FormDialog>
  );
}

function PageForm({
  page,
  mutation,
  onCancel,
}: {
  page?: StatusPage;
  mutation: Parameters<typeof ApiForm<PageInput>>[0]["mutation"];
  onCancel: () => void;
}) {
  const accounts = useAccounts();
  const [account, setAccount] = useState(page?.accountId ?? "");
  const [slug, setSlug] = useState(page?.slug ?? "");
  const [title, setTitle] = useState(page?.title ?? "");
  const [description, setDescription] = useState(page?.description ?? "");
  const [monitors, setMonitors] = useState<PickedMonitor[]>(
    page?.monitors.map((m) => ({ monitor: m.monitorId, name: m.name })) ?? [],
  );
  return (
    <ApiForm
      mutation={mutation}
      input={{
        account: account || undefined,
        slug: slug.trim(),
        title: title.trim(),
        description,
        monitors: monitors.map((m) => ({ monitor: m.monitor, name: m.name.trim() || undefined })),
      }}
      shown={[
        "account",
        "slug",
        "title",
        "monitors",
        ...monitors.flatMap((_, i) => [`monitors.${i}.monitor`, `monitors.${i}.name`]),
      ]}
      submitLabel={page ? "Save" : "Create status page"}
      onCancel={onCancel}
    >
      {page ? null : (
        <PickField
          label="Account"
          field="account"
          value={account}
          onValue={(next) => {
            setAccount(next);
            setMonitors([]);
          }}
          options={[
            { value: "", label: "The default account" },
            ...(accounts.data ?? []).map((a) => ({ value: a.id, label: a.name })),
          ]}
        />
      )}
      <TextField
        label="Slug"
        field="slug"
        hint="Its address: /status/<slug>. Lowercase letters, digits and dashes."
        value={slug}
        onValue={setSlug}
        placeholder="shop"
        maxLength={63}
        code
      />
      <TextField label="Title" field="title" value={title} onValue={setTitle} maxLength={100} />
      <Field label="Description (optional)" hint="Plain text, shown under the title.">
        <Textarea
          value={description}
          maxLength={2000}
          onChange={(e) => setDescription(e.target.value)}
        />
      </Field>
      <MonitorsPicker account={account || undefined} value={monitors} onValue={setMonitors} />
    </ApiForm>
  );
}
