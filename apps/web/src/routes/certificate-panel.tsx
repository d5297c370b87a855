// The panel's own certificate (STEWARD_TLS_DOMAIN) on the certificates page, for super users:
// its domain, state, expiry and days left, when it renews, why the last try failed, and a
// button ordering it again now. Nothing is shown when the setting is not set (the API's 404)
// or to anyone else (403).
import { useQuery } from "@tanstack/react-query";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { messageOf } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { useMe } from "../lib/session.ts";
import { toast } from "../lib/toast.ts";
import { CertificateState, DaysLeft } from "./certificate-parts.tsx";
import { When } from "./hosting-parts.tsx";

type Panel = NonNullable<ReturnType<typeof usePanelCertificate>>;

/** The panel's own certificate, or null (not a super user, or STEWARD_TLS_DOMAIN not set). */
export function usePanelCertificate() {
  const me = useMe();
  const query = useQuery({
    queryKey: ["certificates", "panel"],
    enabled: me.super,
    retry: false,
    refetchInterval: 15_000,
    queryFn: async () => {
      const { data, response } = await api.GET("/api/v1/certificates/panel");
      return response.status === 404 ? null : (data ?? null);
    },
  });
  return me.super ? (query.data ?? null) : null;
}

export function PanelCertificateCard({ cert }: { cert: Panel }) {
  const renew = useApiMutation(
    async () => unwrap(await api.POST("/api/v1/certificates/panel/renew")),
    {
      invalidate: [["certificates", "panel"]],
      onSuccess: () => toast("The panel's certificate is being ordered again"),
    },
  );
  return (
    <Card
      title={`This panel: ${cert.domain}`}
      actions={
        <Button size="sm" onClick={() => renew.mutate(undefined)} disabled={renew.isPending}>
          Renew now
        </Button>
      }
    >
      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm">
        <div className="col-span-2">
          <dt className="text-fg-muted">State</dt>
          <dd>
            <CertificateState state={cert.state} error={cert.lastError} />
          </dd>
        </div>
        <div>
          <dt className="text-fg-muted">Expires</dt>
          <dd>
            <When iso={cert.notAfter} />
          </dd>
        </div>
        <div>
          <dt className="text-fg-muted">Days left</dt>
          <dd>
            <DaysLeft days={cert.daysLeft} />
          </dd>
        </div>
        <div>
          <dt className="text-fg-muted">Renews</dt>
          <dd>
            <When iso={cert.renewAt} />
          </dd>
        </div>
        <div className="col-span-2">
          <dt className="text-fg-muted">Issuer</dt>
          <dd className="text-xs wrap-anywhere">
            {cert.issuer ?? "self-signed stand-in until the CA's is installed"}
          </dd>
        </div>
      </dl>
      {renew.error ? <p className="mt-2 text-sm text-danger">{messageOf(renew.error)}</p> : null}
    </Card>
  );
}
