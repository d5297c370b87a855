// A CMS site's update policy as it applies (docs/cms.md#update-policies): level, window and
// its next opening in the site's time zone, keyword, each offer judged, and the editor of the
// site's own policy (to those who may manage the site); and the site's update history with
// each update's outcome and, when the visual check ran, its screenshots (cms-update-shots.tsx).
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import {
  fetchSitePolicy,
  LEVELS,
  PolicyDialog,
  policyKeys,
  type SitePolicy,
  windowText,
} from "./cms-policy.tsx";
import { ShotsRow, ShotsToggle, visualText } from "./cms-update-shots.tsx";
import { When } from "./hosting-parts.tsx";

const SOURCE: Record<SitePolicy["source"], string> = {
  site: "the site's own policy",
  account: "the account's defaults",
  default: "Steward's default",
  extension: "the account's policy for it",
  "site-extension": "the site's policy for it",
};

/** What applies to a site, each offer judged, and the editor of its own policy. */
export function SitePolicyCard({
  site,
}: {
  site: { id: string; accountId: string; can: { manage: boolean } };
}) {
  const [editing, setEditing] = useState(false);
  const query = useQuery({
    queryKey: policyKeys.site(site.id),
    queryFn: () => fetchSitePolicy(site.id),
  });
  const p = query.data;
  const own = p?.policies.find((x) => x.type === null) ?? null;
  return (
    <Card
      title="Update policy"
      actions={
        // a site's own policy is set by those who may manage the site (the API refuses others)
        site.can.manage ? (
          <Button size="sm" variant="secondary" onClick={() => setEditing(true)}>
            Edit policy
          </Button>
        ) : null
      }
    >
      {!p ? (
        <p className="text-sm text-fg-muted">Loading…</p>
      ) : (
        <div className="grid gap-3 text-sm">
          <p>
            <span className="font-medium">{LEVELS.find((l) => l.value === p.level)?.label}</span>
            {p.stableOnly ? ", stable versions only" : ""} — from {SOURCE[p.source]}.
          </p>
          <p>
            Window: {windowText(p.window)} ({p.timezone})
            {p.nextWindow ? (
              <>
                ; next opens <When iso={p.nextWindow} />
              </>
            ) : null}
            {p.keyword ? <>; the home page must show “{p.keyword}”</> : null}.
          </p>
          <p>
            Visual check:{" "}
            {p.visualCheck === "on"
              ? `on — more than ${p.visualThreshold}% of the home page's pixels changed rolls an update back.`
              : "off."}
          </p>
          {p.offers.length ? (
            <table className="w-full">
              <caption className="sr-only">Offered updates and the policy</caption>
              <thead className="text-left text-fg-muted">
                <tr>
                  <th className="py-1 pr-3 font-medium">Update</th>
                  <th className="py-1 pr-3 font-medium">Policy</th>
                  <th className="py-1 pr-3 font-medium">Applied</th>
                </tr>
              </thead>
              <tbody>
                {p.offers.map((o) => (
                  <tr key={`${o.type}:${o.slug}`} className="border-t border-border">
                    <td className="py-1.5 pr-3 break-all">
                      {o.type === "core" ? "WordPress" : o.slug} {o.from} → {o.to}
                    </td>
                    <td className="py-1.5 pr-3">{o.level}</td>
                    <td className="py-1.5 pr-3">
                      {o.automatic ? (
                        <Badge tone="ok">{p.window ? "in the window" : "automatic"}</Badge>
                      ) : (
                        <Badge>{o.reason}</Badge>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      )}
      <PolicyDialog
        open={editing}
        onOpenChange={setEditing}
        account={site.accountId}
        site={site.id}
        current={own}
      />
    </Card>
  );
}

const OUTCOME: Record<string, "ok" | "danger" | "warn"> = {
  succeeded: "ok",
  failed: "danger",
  rolled_back: "warn",
};

const visualTone = (v: { percent: number | null; threshold: number }) =>
  v.percent === null ? "warn" : v.percent > v.threshold ? "danger" : "ok";

/** The site's last updates and their outcome. */
export function HistoryCard({ siteId }: { siteId: string }) {
  const [open, setOpen] = useState<string | null>(null);
  const query = useQuery({
    queryKey: policyKeys.history(siteId),
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/cms-sites/{id}/history", { params: { path: { id: siteId } } }))
        .items,
    refetchInterval: 5_000,
  });
  const items = query.data ?? [];
  return (
    <Card title="Update history">
      {items.length === 0 ? (
        <p className="text-sm text-fg-muted">No update applied from Steward yet.</p>
      ) : (
        <table className="w-full text-sm">
          <caption className="sr-only">Update history</caption>
          <thead className="text-left text-fg-muted">
            <tr>
              <th className="py-1 pr-3 font-medium">When</th>
              <th className="py-1 pr-3 font-medium">Update</th>
              <th className="py-1 pr-3 font-medium">Outcome</th>
              <th className="py-1 pr-3 font-medium">What happened</th>
            </tr>
          </thead>
          <tbody>
            {items.flatMap((h) => [
              <tr key={h.id} className="border-t border-border align-top">
                <td className="py-1.5 pr-3 whitespace-nowrap">
                  <When iso={h.at} />
                </td>
                <td className="py-1.5 pr-3 break-all">
                  {h.type === "core" ? "WordPress" : h.slug} {h.from ?? "?"} → {h.to ?? "?"}
                </td>
                <td className="py-1.5 pr-3">
                  <Badge tone={OUTCOME[h.outcome]}>{h.outcome.replace("_", " ")}</Badge>
                </td>
                <td className="py-1.5 pr-3 wrap-anywhere">
                  {h.message}
                  {h.visual ? (
                    <div className="mt-1 flex flex-wrap items-center gap-2">
                      <Badge tone={visualTone(h.visual)}>{visualText(h.visual)}</Badge>
                      {h.visual.shots ? (
                        <ShotsToggle
                          open={open === h.id}
                          onToggle={() => setOpen(open === h.id ? null : h.id)}
                        />
                      ) : null}
                    </div>
                  ) : null}
                </td>
              </tr>,
              open === h.id ? <ShotsRow key={`${h.id}:shots`} siteId={siteId} entry={h} /> : null,
            ])}
          </tbody>
        </table>
      )}
    </Card>
  );
}
