// On the System users page: the account's sites that still run as their own system user on a
// node where the account now has its main user — each can move into the account's layout
// (files the main user's, PHP as its CGI user) from its page, after a confirmation.
import { useQuery } from "@tanstack/react-query";
import { RecordLink } from "../components/record-link.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { formatDomain } from "../lib/format.ts";
import { NodeLink } from "./hosting-parts.tsx";

export function SitesToMove({ account, nodes }: { account: string; nodes: string[] }) {
  const sites = useQuery({
    queryKey: ["sites", "to-move", account],
    enabled: nodes.length > 0,
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/sites", { params: { query: { account, limit: 100 } } })).items,
  });
  const movable = (sites.data ?? []).filter(
    (s) =>
      s.layout === "site" &&
      s.kind !== "proxy" &&
      s.status !== "deleting" &&
      nodes.includes(s.nodeId),
  );
  if (!movable.length) return null;
  return (
    <Card title="Sites to move into the account's layout">
      <p className="text-sm text-fg-muted">
        These sites still run as their own system user on a node where the account has its main
        user. Moved, their files belong to the main user and their PHP runs as its CGI user, which
        can write only <code>uploads/</code>. Move each from its page: its files are copied, the
        site is checked to answer as before, and moved back otherwise.
      </p>
      <ul className="mt-3 grid gap-1 text-sm">
        {movable.map((s) => (
          <li key={s.id} className="flex flex-wrap gap-2">
            <RecordLink to="/sites/$id" id={s.id} className="break-all">
              {s.domains[0] ? formatDomain(s.domains[0], s.domainsUnicode[0]) : s.id}
            </RecordLink>
            <span className="text-fg-muted">
              {s.kind} site on <NodeLink id={s.nodeId} />
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
