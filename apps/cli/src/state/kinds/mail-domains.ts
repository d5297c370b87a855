// Mail domains served by a node: `mail-domain/<name>.yaml` naming their account and node
// (neither changes in place). Their mailboxes are files of their own (mailboxes.ts).
import type { MailDomainFile } from "@steward/contracts/state";
import type { Api } from "../api.ts";
import { idOf, type KindOps, nameOf, type Refs } from "../kind.ts";

interface MailDomain {
  id: string;
  name: string;
  accountId: string;
  nodeId: string;
  status: string;
}

export const mailDomains: KindOps<"mail-domain"> = {
  kind: "mail-domain",
  fixed: ["account", "node"],
  refers: (f) => [
    { field: "account", to: "account", name: f.account },
    { field: "node", to: "node", name: f.node },
  ],
  async read(api: Api, refs: Refs) {
    const items = await api.all<MailDomain>("/api/v1/mail/domains");
    const out = new Map<string, { id: string; file: MailDomainFile }>();
    for (const d of items)
      if (d.status !== "deleting")
        out.set(d.name, {
          id: d.id,
          file: {
            name: d.name,
            account: nameOf(refs.accounts, d.accountId),
            node: nameOf(refs.nodes, d.nodeId),
          },
        });
    return out;
  },
  async create(api, refs, file) {
    await api.send("POST", "/api/v1/mail/domains", {
      name: file.name,
      account: idOf(refs.accounts, "account", file.account, "account"),
      node: idOf(refs.nodes, "node", file.node, "node"),
    });
  },
  async remove(api, current) {
    await api.send("DELETE", `/api/v1/mail/domains/${current.id}`);
  },
};
