// A hermetic mail server: Debian's Postfix accepting SMTP on random 127.0.0.1 ports (plain
// with optional STARTTLS and AUTH like port 25, STARTTLS + AUTH required like 587, implicit
// TLS + AUTH like 465) and delivering its local domains over LMTP into Dovecot, whose
// passwd-file users are the mailboxes; a throwaway CA and certificate from @steward/pki; an
// IMAP reader to wait for what arrived. Any other destination is refused at RCPT (the error
// transport): nothing leaves. Everything lives in one temp dir, removed by stop(); start one
// per test file (~1 s under load; the postfix command is root-only, so it skips or fails otherwise).
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCa, generateKey, issue } from "@steward/pki";
import { type Dovecot, dovecotBin, startDovecot } from "./mail-dovecot.ts";
import { type MailMessage, type MessageQuery, readInbox, waitForMessage } from "./mail-imap.ts";
import { type Postfix, postfixMasterBin, startPostfix } from "./mail-postfix.ts";
import { freePort } from "./ports.ts";
import { missing } from "./system.ts";

export type { MailMessage, MessageQuery } from "./mail-imap.ts";

export interface MailUser {
  address: string;
  password: string;
}

export interface MailOptions {
  /** domains delivered here; default ["example.test"] */
  domains?: string[];
  /** mailboxes: an address, or a local part of the first domain; default ["alice", "bob"] */
  users?: (string | MailUser)[];
}

export interface MailServer {
  /** where every listener is: 127.0.0.1 */
  host: string;
  /** the server's name (greeting, certificate) */
  hostname: string;
  ports: { smtp: number; submission: number; smtps: number; imap: number };
  /** the CA (PEM) that signed the servers' certificate: a client's `tls: { ca }` */
  ca: string;
  domains: string[];
  users: MailUser[];
  /** a user's password (throws for an address that has no mailbox here) */
  password(address: string): string;
  dir: string;
  /** Postfix's log so far (one line per connection, rejection and delivery) */
  log(): string;
  /** the first message in `to`'s INBOX whose subject matches, waiting for it to arrive */
  waitForMessage(query: MessageQuery): Promise<MailMessage>;
  /** every message in the address's INBOX now, oldest first */
  messages(address: string): Promise<MailMessage[]>;
  stop(): Promise<void>;
}

export async function startMail(opts: MailOptions = {}): Promise<MailServer | null> {
  const postfix = postfixMasterBin();
  if (!postfix) return missing("Postfix", "apt-get install postfix");
  const dovecot = dovecotBin();
  if (!dovecot) return missing("Dovecot", "apt-get install dovecot-imapd dovecot-lmtpd");
  if (process.getuid?.() !== 0)
    return missing("Postfix for this user", "the postfix command runs as root only");
  const domains = opts.domains ?? ["example.test"];
  const first = domains[0];
  if (!first) throw new Error("startMail needs at least one domain");
  const users = (opts.users ?? ["alice", "bob"]).map((u) => mailUser(u, first));
  const hostname = `mail.${first}`;
  const dir = mkdtempSync(join(tmpdir(), "steward-mail-"));
  chmodSync(dir, 0o755); // Postfix (as postfix) reaches Dovecot's sockets under it
  const started: { postfix?: Postfix; dovecot?: Dovecot } = {};
  const stop = async () => {
    await Promise.all([started.postfix?.stop(), started.dovecot?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [tls, smtp, submission, smtps, imap] = await Promise.all([
      throwawayTls(dir, hostname),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    started.dovecot = await startDovecot(dovecot, { dir, hostname, imapPort: imap, users });
    started.postfix = await startPostfix(postfix, {
      dir,
      hostname,
      domains,
      mailboxes: users.map((u) => u.address),
      ports: { smtp, submission, smtps },
      lmtpSocket: started.dovecot.lmtpSocket,
      saslSocket: started.dovecot.saslSocket,
      tls,
    });
    const logFile = started.postfix.logFile;
    const password = (address: string) => {
      const user = users.find((u) => u.address === address.toLowerCase());
      if (!user) throw new Error(`${address} has no mailbox on this test mail server`);
      return user.password;
    };
    const imapAccess = { host: "127.0.0.1", port: imap, password };
    return {
      host: "127.0.0.1",
      hostname,
      ports: { smtp, submission, smtps, imap },
      ca: tls.ca,
      domains,
      users,
      password,
      dir,
      log: () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : ""),
      waitForMessage: (query) => waitForMessage(imapAccess, query),
      messages: (address) => readInbox(imapAccess, address),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function mailUser(user: string | MailUser, domain: string): MailUser {
  if (typeof user !== "string") return { ...user, address: user.address.toLowerCase() };
  const address = (user.includes("@") ? user : `${user}@${domain}`).toLowerCase();
  return { address, password: `${address.split("@")[0]}-secret` };
}

/** A CA and a server certificate for the host name and 127.0.0.1, written for Postfix. */
async function throwawayTls(dir: string, hostname: string) {
  const caKey = await generateKey();
  const ca = await createCa("Steward test mail CA", caKey, 2);
  const key = await generateKey();
  const cert = await issue({
    caCertificate: ca,
    caKey: caKey.privateKey,
    commonName: hostname,
    publicKey: key.keys.publicKey,
    hosts: [hostname, "localhost", "127.0.0.1"],
    usage: "server-and-client",
    days: 2,
  });
  const certFile = join(dir, "tls-cert.pem");
  const keyFile = join(dir, "tls-key.pem");
  writeFileSync(certFile, `${cert.trim()}\n${ca.trim()}\n`);
  writeFileSync(keyFile, key.privateKey, { mode: 0o600 });
  return { ca, certFile, keyFile };
}
