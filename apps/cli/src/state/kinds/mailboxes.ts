// Mailboxes: `mailbox/<address>.yaml` with their quota, mode and whether they are enabled. The
// password is never exported (the panel answers no password nor hash): the file names the
// secret a new mailbox's password is taken from (`--secrets FILE`), and apply refuses to
// make one without it rather than invent a password.
import { type MailboxFile, mailboxSecret } from "@steward/contracts/state";
import type { Api } from "../api.ts";
import { idOf, type KindOps, type Refs } from "../kind.ts";

interface Mailbox {
  id: string;
  address: string;
  quotaMb: number;
  enabled: boolean;
  mode: MailboxFile["mode"];
}

const domainOf = (address: string) => address.slice(address.lastIndexOf("@") + 1);

export const mailboxes: KindOps<"mailbox"> = {
  kind: "mailbox",
  fixed: ["address", "password"],
  refers: (f) => [{ field: "address", to: "mail domain", name: domainOf(f.address) }],
  secrets: (f) => [{ field: "password", name: f.password.secret }],
  async read(api: Api, refs: Refs) {
    const out = new Map<string, { id: string; file: MailboxFile }>();
    for (const domainId of refs.mailDomains.values()) {
      const path = `/api/v1/mail/domains/${domainId}/mailboxes`;
      for (const m of (await api.get<{ items: Mailbox[] }>(path)).items)
        out.set(m.address, {
          id: m.id,
          file: {
            address: m.address,
            quotaMb: m.quotaMb,
            enabled: m.enabled,
            mode: m.mode,
            password: { secret: mailboxSecret(m.address) },
          },
        });
    }
    return out;
  },
  async create(api, refs, file, secrets) {
    const domain = domainOf(file.address);
    const id = idOf(refs.mailDomains, "address", domain, "mail domain");
    await api.send("POST", `/api/v1/mail/domains/${id}/mailboxes`, {
      localPart: file.address.slice(0, file.address.lastIndexOf("@")),
      password: secrets.get(file.password.secret),
      quotaMb: file.quotaMb,
      enabled: file.enabled,
      mode: file.mode,
    });
  },
  async update(api, _refs, current, file) {
    await api.send("PATCH", `/api/v1/mail/mailboxes/${current.id}`, {
      quotaMb: file.quotaMb,
      enabled: file.enabled,
      mode: file.mode,
    });
  },
  async remove(api, current) {
    await api.send("DELETE", `/api/v1/mail/mailboxes/${current.id}`);
  },
};
