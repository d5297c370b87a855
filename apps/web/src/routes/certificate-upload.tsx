// Uploading a certificate made elsewhere onto a site (POST /api/v1/certificates/upload): the
// site picked by name, the PEM certificate, its chain and key pasted or read from files. The
// API checks the chain, the key, the names and the validity first; each refusal is shown at
// its field, and nothing reaches the node until every check passes.
import { useState } from "react";
import { ApiForm } from "../components/api-form.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { PemField } from "../components/pem-field.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { Checkbox } from "../components/ui/field.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldErrors } from "../lib/errors.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { toast } from "../lib/toast.ts";
import { type Picked, type PickerProps, SearchPick, searchOf } from "./access-pickers.tsx";

interface UploadInput {
  site: string;
  certificate: string;
  chain?: string;
  key: string;
  hsts: boolean;
}

const searchSites = searchOf(
  async (query) => unwrap(await api.GET("/api/v1/sites", { params: { query } })),
  (site) => ({
    id: site.id,
    label: site.domains[0] ?? site.id,
    detail: site.domains.slice(1).join(", "),
  }),
);

function SitePicker(props: PickerProps) {
  return <SearchPick {...props} kind="sites" placeholder="Search by domain" search={searchSites} />;
}

export function UploadCertificateDialog({ open, onOpenChange }: DialogProps) {
  const save = useApiMutation(
    async (body: UploadInput) => unwrap(await api.POST("/api/v1/certificates/upload", { body })),
    {
      invalidate: [["certificates"]],
      onSuccess: (cert) => {
        onOpenChange(false);
        toast(`Certificate ${cert.serial ?? ""} installed on ${cert.names[0] ?? "the site"}`);
      },
    },
  );
  return (
    <FormDialog
      open={open}
      onOpenChange={resetOnClose(save, onOpenChange)}
      title="Upload certificate"
      description="A certificate bought or made elsewhere, in PEM. It must cover every name of the site, be valid now and match its key; the key goes to the site's node only. An uploaded certificate is never renewed: you are warned 21, 7 and 1 days before it expires."
    >
      {(done) => <UploadForm mutation={save} onCancel={done} />}
    </FormDialog>
  );
}

function UploadForm({
  mutation,
  onCancel,
}: {
  mutation: ReturnType<typeof useApiMutation<UploadInput, unknown>>;
  onCancel: () => void;
}) {
  const [site, setSite] = useState<Picked | null>(null);
  const [certificate, setCertificate] = useState("");
  const [chain, setChain] = useState("");
  const [key, setKey] = useState("");
  const [hsts, setHsts] = useState(false);
  const error = (field: string) => fieldErrors(mutation.error, field);
  return (
    <ApiForm
      mutation={mutation}
      input={{ site: site?.id ?? "", certificate, ...(chain.trim() ? { chain } : {}), key, hsts }}
      shown={["site", "certificate", "chain", "key"]}
      submitLabel="Upload and install"
      onCancel={onCancel}
    >
      <SitePicker label="Site" value={site} onChange={setSite} error={error("site")} />
      <PemField
        label="Certificate"
        hint="The leaf first; intermediates may follow it."
        error={error("certificate")}
        value={certificate}
        onValue={setCertificate}
        placeholder={"-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----"}
      />
      <PemField
        label="Chain"
        hint="Optional: the intermediates, the leaf's issuer first."
        error={error("chain")}
        value={chain}
        onValue={setChain}
        placeholder={"-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----"}
      />
      <PemField
        label="Private key"
        hint="Unencrypted PEM (ECDSA P-256/P-384 or RSA 2048–4096). Sent to the node only, never stored by the panel."
        error={error("key")}
        value={key}
        onValue={setKey}
        placeholder={"-----BEGIN PRIVATE KEY-----\n…\n-----END PRIVATE KEY-----"}
      />
      <Checkbox
        label="HSTS"
        hint="Tell browsers to use HTTPS only for two years."
        checked={hsts}
        onChange={setHsts}
      />
    </ApiForm>
  );
}
