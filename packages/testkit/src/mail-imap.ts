// Reading a test mailbox back over IMAP (imapflow) and parsing what arrived (mailparser), the
// way a person's mail client would see it. waitForMessage keeps its mailbox selected and
// polls with NOOP: a client that selected INBOX before the delivery sees it only after one.
// Both libraries load on first use: every test file imports the testkit, few read mail.
import type { ImapFlow } from "imapflow";
import type { AddressObject, ParsedMail } from "mailparser";

export interface MailMessage {
  uid: number;
  subject: string;
  /** the From header as written ("Steward <steward@panel.test>") */
  from: string;
  /** the addresses in To */
  to: string[];
  text: string;
  html: string | null;
  /** the message as delivered, headers included */
  raw: string;
  parsed: ParsedMail;
}

export interface MessageQuery {
  /** the mailbox to read (a user of this server) */
  to: string;
  /** a substring of the subject, or a pattern it matches */
  subject?: string | RegExp;
  /** default 15 s */
  timeoutMs?: number;
  /** the mailbox's password when it is not one of the server's own users (a managed one) */
  password?: string;
  /** the IMAP folder: default INBOX (e.g. "Junk") */
  folder?: string;
}

export interface ImapAccess {
  host: string;
  port: number;
  /** the CA of the server's certificate, when it offers STARTTLS (imapflow then upgrades) */
  ca?: string;
  password(address: string): string;
}

/** Every message in the user's INBOX (or another folder), oldest first. */
export function readInbox(
  imap: ImapAccess,
  address: string,
  folder = "INBOX",
): Promise<MailMessage[]> {
  return withInbox(imap, address, folder, (client) => fetchMatching(client, {}));
}

/** The first message in the user's INBOX whose subject matches, waiting for it to arrive. */
export function waitForMessage(imap: ImapAccess, query: MessageQuery): Promise<MailMessage> {
  const deadline = Date.now() + (query.timeoutMs ?? 15_000);
  return withInbox(imap, query.to, query.folder, async (client) => {
    for (;;) {
      const found = await fetchMatching(client, query);
      if (found[0]) return found[0];
      if (Date.now() > deadline) {
        const seen = (await fetchMatching(client, {})).map((m) => JSON.stringify(m.subject));
        throw new Error(
          `no message for ${query.to} with subject ${String(query.subject ?? "(any)")} ` +
            `within ${query.timeoutMs ?? 15_000} ms; the mailbox holds: ${seen.join(", ") || "nothing"}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      await client.noop();
    }
  });
}

/** Appends a raw message to a folder (created when missing) with the INTERNALDATE given. */
export function appendMessage(
  imap: ImapAccess,
  address: string,
  folder: string,
  raw: string,
  date: Date,
): Promise<void> {
  return withInbox(imap, address, "INBOX", async (client) => {
    if (!(await client.list()).some((f) => f.path === folder)) await client.mailboxCreate(folder);
    await client.append(folder, raw, [], date);
  });
}

async function withInbox<T>(
  imap: ImapAccess,
  address: string,
  folder: string | undefined,
  use: (client: ImapFlow) => Promise<T>,
): Promise<T> {
  const { ImapFlow } = await import("imapflow");
  const client = new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: false,
    ...(imap.ca ? { tls: { ca: imap.ca } } : {}),
    auth: { user: address, pass: imap.password(address) },
    logger: false,
  });
  await client.connect();
  try {
    const lock = await client.getMailboxLock(folder ?? "INBOX");
    try {
      return await use(client);
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
}

async function fetchMatching(
  client: ImapFlow,
  query: Pick<MessageQuery, "subject">,
): Promise<MailMessage[]> {
  const wanted = query.subject;
  // a substring is searched by the server; a pattern is checked here on every message
  const uids = await client.search(
    typeof wanted === "string" ? { subject: wanted } : { all: true },
    {
      uid: true,
    },
  );
  if (!uids || uids.length === 0) return [];
  const fetched = await client.fetchAll(uids.join(","), { uid: true, source: true }, { uid: true });
  const messages: MailMessage[] = [];
  for (const item of fetched.sort((a, b) => a.uid - b.uid)) {
    if (!item.source) continue;
    const message = await toMessage(item.uid, item.source);
    if (!(wanted instanceof RegExp) || wanted.test(message.subject)) messages.push(message);
  }
  return messages;
}

async function toMessage(uid: number, source: Buffer): Promise<MailMessage> {
  const { simpleParser } = await import("mailparser");
  const parsed = await simpleParser(source);
  return {
    uid,
    subject: parsed.subject ?? "",
    from: parsed.from?.text ?? "",
    to: addresses(parsed.to),
    text: parsed.text ?? "",
    html: typeof parsed.html === "string" ? parsed.html : null,
    raw: source.toString("utf8"),
    parsed,
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return list.flatMap((group) => group.value.map((a) => a.address ?? "")).filter(Boolean);
}
