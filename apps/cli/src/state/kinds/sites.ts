// Websites: `site/<primary domain>.yaml` naming their account and node. The site's node and
// account cannot change in place (a move is a new site: delete and create). The proxy site of
// an app with a domain is the app file's (kinds/made-with.ts).
import type { SiteFile } from "@steward/contracts/state";
import type { Api } from "../api.ts";
import { idOf, type KindOps, nameOf, type Refs } from "../kind.ts";
import { madeWith } from "./made-with.ts";

interface Site {
  id: string;
  accountId: string;
  nodeId: string;
  kind: SiteFile["kind"];
  domains: string[];
  aliases: string[];
  redirect: SiteFile["redirect"];
  root: string;
  upstream: string | null;
  phpAllowExec: boolean;
  status: string;
}

const fields = ["kind", "domains", "aliases", "redirect", "root", "phpAllowExec"] as const;

export const sites: KindOps<"site"> = {
  kind: "site",
  fixed: ["account", "node"],
  refers: (f) => [
    { field: "account", to: "account", name: f.account },
    { field: "node", to: "node", name: f.node },
  ],
  async read(api: Api, refs: Refs) {
    const items = await api.all<Site>("/api/v1/sites");
    const made = await madeWith(api, refs);
    const out = new Map<string, { id: string; file: SiteFile }>();
    for (const s of items) {
      // an app's site is its app file's `domain`
      if (s.status === "deleting" || made.sites.has(s.id)) continue;
      const file: SiteFile = {
        account: nameOf(refs.accounts, s.accountId),
        node: nameOf(refs.nodes, s.nodeId),
        kind: s.kind,
        domains: s.domains,
        aliases: s.aliases,
        redirect: s.redirect,
        root: s.root,
        ...(s.upstream === null ? {} : { upstream: s.upstream }),
        phpAllowExec: s.phpAllowExec,
      };
      out.set(s.domains[0] ?? s.id, { id: s.id, file });
    }
    return out;
  },
  async create(api, refs, file) {
    const { account, node, ...rest } = file;
    await api.send("POST", "/api/v1/sites", {
      ...rest,
      account: idOf(refs.accounts, "account", account, "account"),
      node: idOf(refs.nodes, "node", node, "node"),
    });
  },
  async update(api, _refs, current, file) {
    const change: Record<string, unknown> = {};
    for (const f of fields)
      if (JSON.stringify(current.file[f]) !== JSON.stringify(file[f])) change[f] = file[f];
    if (current.file.upstream !== file.upstream) change.upstream = file.upstream ?? null;
    await api.send("PATCH", `/api/v1/sites/${current.id}`, change);
  },
  async remove(api, current) {
    await api.send("DELETE", `/api/v1/sites/${current.id}`);
  },
};
