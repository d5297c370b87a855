// Creating a site (POST) and changing one (PATCH): the same form in a dialog. The API checks
// every value; its errors appear at their field, a list's bad name saying which one it is.
import { type FormEvent, useState } from "react";
import { FormActions } from "../components/form-actions.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { ListField } from "../components/list-field.tsx";
import { TextField } from "../components/text-field.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { Checkbox } from "../components/ui/field.tsx";
import { api, type Schema, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import type { Site } from "./hosting-parts.tsx";
import {
  DNS_FIELDS,
  type DnsOffer,
  dnsRecordsOf,
  SiteDnsOffer,
  useCoveredNames,
} from "./site-dns.tsx";
import {
  AccountField,
  type Kind,
  KindField,
  listError,
  NodeField,
  parseNames,
  type Redirect,
  RedirectField,
  shownFields,
  useOnlyNode,
} from "./site-form-parts.tsx";

type Saved = Schema<"/api/v1/sites", "post">;

export function SiteFormDialog({
  site,
  open,
  onOpenChange,
  onSaved,
}: DialogProps & { site?: Site; onSaved: (s: Saved) => void }) {
  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title={site ? "Edit site" : "New site"}
      description={
        site
          ? "Saving applies the change to the node in a task; the node keeps its current configuration if it fails."
          : "The site is created at once; a task then configures nginx on the node."
      }
    >
      {(done) => (
        <SiteForm
          site={site}
          onCancel={done}
          onSaved={(s) => {
            done();
            onSaved(s);
          }}
        />
      )}
    </FormDialog>
  );
}

function SiteForm({
  site,
  onCancel,
  onSaved,
}: {
  site?: Site;
  onCancel: () => void;
  onSaved: (s: Saved) => void;
}) {
  const onlyNode = useOnlyNode();
  const [node, setNode] = useState("");
  const [account, setAccount] = useState("");
  const [kind, setKind] = useState<Kind>(site?.kind ?? "static");
  const [domainsText, setDomains] = useState(site?.domains.join("\n") ?? "");
  const [aliasesText, setAliases] = useState(site?.aliases.join("\n") ?? "");
  const [redirect, setRedirect] = useState<Redirect>(site?.redirect ?? "none");
  const [root, setRoot] = useState(site?.root ?? "public");
  const [upstream, setUpstream] = useState(site?.upstream ?? "");
  const [phpAllowExec, setPhpAllowExec] = useState(site?.phpAllowExec ?? false);
  const [phpVersion, setPhpVersion] = useState(site?.phpVersion ?? "");
  const [monitor, setMonitor] = useState(true);
  const [dns, setDns] = useState<DnsOffer>({ wanted: true, ipv4: "", ipv6: "" });
  const domains = parseNames(domainsText);
  const aliases = parseNames(aliasesText);
  const covered = useCoveredNames(site ? [] : [...domains, ...aliases], account);
  const nodeId = node || onlyNode || "";
  const proxy = kind === "proxy";

  const save = useApiMutation(
    async (): Promise<Saved> => {
      const common = {
        kind,
        domains,
        aliases,
        redirect,
        root: proxy ? undefined : root.trim(),
        phpAllowExec: kind === "php" ? phpAllowExec : undefined,
      };
      const version = kind === "php" ? phpVersion.trim() : "";
      if (site) {
        const body = {
          ...common,
          upstream: proxy ? upstream.trim() || null : null,
          ...(kind === "php" ? { phpVersion: version || null } : {}),
        };
        const path = { id: site.id };
        return unwrap(await api.PATCH("/api/v1/sites/{id}", { params: { path }, body }));
      }
      const body = {
        ...common,
        node: nodeId,
        account: account || undefined,
        upstream: proxy ? upstream.trim() || undefined : undefined,
        phpVersion: version || undefined,
        monitor,
        dnsRecords: covered.length ? dnsRecordsOf(dns) : undefined,
      };
      return unwrap(await api.POST("/api/v1/sites", { body }));
    },
    {
      // a first site without an account creates the default account
      invalidate: [["sites"], ["tasks"], site ? ["site", site.id] : ["accounts"]],
      onSuccess: onSaved,
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };
  const err = save.error;
  return (
    <form className="grid gap-4" onSubmit={submit} noValidate>
      {site ? null : (
        <NodeField value={nodeId} onChange={setNode} error={fieldError(err, "node")} />
      )}
      <KindField value={kind} onChange={setKind} error={fieldError(err, "kind")} />
      <ListField
        label="Domains"
        hint="One per line, or separated by commas. The first is the site's primary name."
        error={listError(err, "domains", domains)}
        value={domainsText}
        onValue={setDomains}
        placeholder={"example.com\nwww.example.com"}
      />
      <ListField
        label="Aliases"
        hint="Optional. More names that redirect (301) to the primary name."
        error={listError(err, "aliases", aliases)}
        value={aliasesText}
        onValue={setAliases}
        className="min-h-16"
      />
      <RedirectField value={redirect} onChange={setRedirect} error={fieldError(err, "redirect")} />
      {proxy ? (
        <TextField
          label="Upstream"
          hint="The application's address: http://host:port or https://host:port."
          error={fieldError(err, "upstream")}
          value={upstream}
          onValue={setUpstream}
          placeholder="http://127.0.0.1:3000"
          maxLength={300}
          code
        />
      ) : (
        <TextField
          label="Document root"
          hint="A folder inside the site's home directory, like public or web/public."
          error={fieldError(err, "root")}
          value={root}
          onValue={setRoot}
          maxLength={255}
          code
        />
      )}
      {kind === "php" ? (
        <TextField
          label="PHP version"
          hint="One of the PHP-FPM versions installed on the node, like 8.2. Empty: the node's default."
          error={fieldError(err, "phpVersion")}
          value={phpVersion}
          onValue={setPhpVersion}
          placeholder="the node's default"
          maxLength={5}
          code
        />
      ) : null}
      {kind === "php" ? (
        <Checkbox
          label="Let PHP start processes"
          hint="exec, shell_exec, proc_open… Off by default: few sites need it, and code injected into a site uses it first."
          checked={phpAllowExec}
          onChange={setPhpAllowExec}
        />
      ) : null}
      {site ? null : (
        <Checkbox
          label="Monitor the site"
          hint="An HTTP check of the primary domain every minute; removed with the site."
          checked={monitor}
          onChange={setMonitor}
        />
      )}
      <SiteDnsOffer covered={covered} offer={dns} onOffer={setDns} error={err} />
      {site ? null : (
        <AccountField value={account} onChange={setAccount} error={fieldError(err, "account")} />
      )}
      <ErrorAlert
        error={unshownError(
          err,
          shownFields(err, [
            ...(site ? ["node", "account", ...DNS_FIELDS] : []),
            proxy ? "root" : "upstream",
          ]),
        )}
      />
      <FormActions
        submitLabel={site ? "Save changes" : "Create site"}
        busy={save.isPending}
        onCancel={onCancel}
      />
    </form>
  );
}
