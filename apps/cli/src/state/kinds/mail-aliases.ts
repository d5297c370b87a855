// Mail aliases and forwards: `mail-alias/<address>.yaml` with their destinations, and a
// domain's catch-all as `mail-alias/<domain>.yaml`. The panel changes an alias only by
// deleting it and making it again, so every field is fixed: a change is refused naming it.
import { type MailAliasFile, mailAliasDomain } from "@steward/contracts/state";
import type { Api } from "../api.ts";
import { idOf, type KindOps, type Refs } from "../kind.ts";

interface Alias {
  id: string;
  source: string;
  catchAll: boolean;
  destinations: string[];
}

export const mailAliases: KindOps<"mail-alias"> = {
  kind: "mail-alias",
  fixed: ["address", "catchAll", "destinations"],
  refers: (f) => [
    { field: f.address ? "address" : "catchAll", to: "mail domain", name: mailAliasDomain(f) },
  ],
  async read(api: Api, refs: Refs) {
    const out = new Map<string, { id: string; file: MailAliasFile }>();
    for (const [domain, id] of refs.mailDomains) {
      const path = `/api/v1/mail/domains/${id}/aliases`;
      for (const a of await api.all<Alias>(path)) {
        const destinations = [...new Set(a.destinations)].sort();
        const file = a.catchAll
          ? { catchAll: domain, destinations }
          : { address: a.source, destinations };
        out.set(a.catchAll ? domain : a.source, { id: a.id, file });
      }
    }
    return out;
  },
  async create(api, refs, file) {
    const domain = mailAliasDomain(file);
    const field = file.address ? "address" : "catchAll";
    const id = idOf(refs.mailDomains, field, domain, "mail domain");
    await api.send("POST", `/api/v1/mail/domains/${id}/aliases`, {
      ...(file.address
        ? { localPart: file.address.slice(0, file.address.lastIndexOf("@")) }
        : { catchAll: true }),
      destinations: file.destinations,
    });
  },
  async remove(api, current) {
    await api.send("DELETE", `/api/v1/mail/aliases/${current.id}`);
  },
};
