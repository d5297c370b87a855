// A CMS site's hosting on Steward (docs/cms.md#a-steward-hosted-site): the account's PHP site
// that serves it and the account's backup plan of that site's files and database, whose run is
// its updates' restore point. Both or neither; the API's refusals show at their fields.
import { useQuery } from "@tanstack/react-query";
import { useFieldError } from "../components/api-form.tsx";
import { RecordLink } from "../components/record-link.tsx";
import { Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { BackupLink, nameIn, usePlanOptions } from "./backup-parts.tsx";
import { Row } from "./hosting-parts.tsx";

/** The account's PHP sites (the first 100 by name): the sites a WordPress may be hosted on. */
function useAccountSites(account: string) {
  return useQuery({
    queryKey: ["sites", "cms-hosting", account],
    enabled: account !== "",
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/sites", {
          params: { query: { account, limit: 100, sort: "name" } },
        }),
      ).items.filter((s) => s.kind === "php"),
    staleTime: 30_000,
  });
}

export function HostingFields({
  account,
  site,
  onSite,
  plan,
  onPlan,
}: {
  account: string;
  site: string;
  onSite: (id: string) => void;
  plan: string;
  onPlan: (id: string) => void;
}) {
  const sites = useAccountSites(account);
  const plans = usePlanOptions();
  const ofAccount = (plans.data ?? []).filter((p) => p.accountId === account);
  const siteError = useFieldError("site");
  const planError = useFieldError("backupPlan");
  return (
    <>
      <Field
        label="Hosted on (optional)"
        hint="The Steward site serving it: its updates are then backed up and rolled back through a backup plan."
        error={siteError}
      >
        <Select value={site} onChange={(e) => onSite(e.target.value)}>
          <option value="">{sites.isPending ? "Loading sites…" : "Not hosted by Steward"}</option>
          {(sites.data ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.domains[0] ?? s.id}
            </option>
          ))}
        </Select>
      </Field>
      {site || planError ? (
        <Field
          label="Backup plan"
          hint="A plan of the site's files and its database: it runs before each update and is restored when one fails."
          error={planError}
        >
          <Select value={plan} onChange={(e) => onPlan(e.target.value)}>
            <option value="">Choose a plan</option>
            {ofAccount.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </Select>
        </Field>
      ) : null}
    </>
  );
}

/** A linked site's rows on its page: the Steward site serving it and the plan of its backups. */
export function HostedRows({ hosted }: { hosted: { site: string; backupPlan: string } }) {
  const plans = usePlanOptions();
  return (
    <>
      <Row label="Hosted on">
        <RecordLink to="/sites/$id" id={hosted.site} className="font-mono font-normal">
          {hosted.site}
        </RecordLink>
      </Row>
      <Row label="Restore point">
        <span>
          a run of backup plan{" "}
          <BackupLink to="/backups/plans/$id" id={hosted.backupPlan}>
            {nameIn(plans.data, "plan")(hosted.backupPlan)}
          </BackupLink>{" "}
          before each update, restored when one fails
        </span>
      </Row>
    </>
  );
}
