// A hermetic mail server: Debian's Postfix accepting SMTP on random 127.0.0.1 ports (plain
// with optional STARTTLS and AUTH like port 25, STARTTLS + AUTH required like 587, implicit
// TLS + AUTH like 465) and delivering its local domains over LMTP into Dovecot, whose
// passwd-file users are the mailboxes; a throwaway CA and certificate from @steward/pki; an
// IMAP reader to wait for what arrived. Any other destination is refused at RCPT (the error
// transport): nothing leaves. Everything lives in one temp dir, removed by stop(); start one
// per test file (~1 s). The postfix command and master are root-only: as another user this
// skips (fails with STEWARD_REQUIRE_SYSTEM=1) like a missing binary.
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Dovecot, startDovecot } from "./mail-dovecot.ts";
import {
  appendMessage,
  type MailMessage,
  type MessageQuery,
  readInbox,
  waitForMessage,
} from "./mail-imap.ts";
import { type OpenDkim, openDkimUser, startOpenDkim } from "./mail-opendkim.ts";
import { type Postfix, startPostfix } from "./mail-postfix.ts";
import { throwawayTls } from "./mail-throwaway-tls.ts";
import { freePort } from "./ports.ts";
import { missing, unprivilegedUser } from "./system.ts";

export type { MailMessage, MessageQuery } from "./mail-imap.ts";
export { type DkimVerdict, verifyDkim } from "./mail-opendkim.ts";

export interface MailUser {
  address: string;
  password: string;
}

export interface MailOptions {
  /** domains delivered here; default ["example.test"] */
  domains?: string[];
  /** mailboxes: an address, or a local part of the first domain; default ["alice", "bob"] */
  users?: (string | MailUser)[];
  /**
   * Also read Steward's own files (a node's agent manages them: docs/mail.md): Postfix's
   * domains, mailboxes, aliases and refuse (access) maps and a Dovecot passwd-file under `managed.configDir`
   * (empty at start), Maildirs under `managed.mailRoot`, quotas enforced by Dovecot.
   */
  managed?: boolean;
  /**
   * With `managed`: OpenDKIM as Postfix's milter, reading Steward's KeyTable, SigningTable
   * and TrustedHosts under `managed.configDir/dkim` (empty at start: signs nothing)
   */
  dkim?: boolean;
  /**
   * With `managed`: Postfix hands what arrives to this milter (rspamd's proxy: startRspamd),
   * and Dovecot's LMTP runs Steward's sieve_before rule (<configDir>/spam.sieve) when present
   */
  milterPort?: number;
}

/** What an agent's mail configuration points at (agent.json `mail`). */
export interface ManagedMail {
  configDir: string;
  mailRoot: string;
  /** the Maildirs' owner (nobody) */
  uid: number;
  gid: number;
  postfixConfigDir: string;
  dovecotConfig: string;
  /** with `dkim`: the OpenDKIM an agent's mail.opendkim points at */
  opendkim: { config: string; pidFile: string; user: string } | null;
}

export interface MailServer {
  /** where every listener is: 127.0.0.1 */
  host: string;
  /** the server's name (greeting, certificate) */
  hostname: string;
  ports: { smtp: number; submission: number; smtps: number; imap: number };
  /** the CA (PEM) that signed the servers' certificate: a client's `tls: { ca }` */
  ca: string;
  /** the same in a file, e.g. NODE_EXTRA_CA_CERTS for a child process (a spawned panel) */
  caFile: string;
  domains: string[];
  users: MailUser[];
  /** a user's password (throws for an address that has no mailbox here) */
  password(address: string): string;
  dir: string;
  /** with `managed`: where Steward's files go */
  managed: ManagedMail | null;
  /** Postfix's log so far (one line per connection, rejection and delivery) */
  log(): string;
  /** the first message in `to`'s INBOX whose subject matches, waiting for it to arrive */
  waitForMessage(query: MessageQuery): Promise<MailMessage>;
  /** every message in the address's INBOX (or `folder`) now, oldest first (`password`: a managed mailbox's) */
  messages(address: string, password?: string, folder?: string): Promise<MailMessage[]>;
  /** puts a message into a folder over IMAP APPEND, dated `date` (its INTERNALDATE) */
  append(
    to: { address: string; password?: string; folder: string },
    raw: string,
    date: Date,
  ): Promise<void>;
  stop(): Promise<void>;
}

export async function startMail(opts: MailOptions = {}): Promise<MailServer | null> {
  const postfix = systemBin("STEWARD_POSTFIX_MASTER", "/usr/lib/postfix/sbin/master");
  if (!postfix) return missing("Postfix", "apt-get install postfix");
  const dovecot = systemBin("STEWARD_DOVECOT_BIN", "/usr/sbin/dovecot");
  if (!dovecot) return missing("Dovecot", "apt-get install dovecot-imapd dovecot-lmtpd");
  if (process.getuid?.() !== 0)
    return missing("Postfix for this user", "the postfix command runs as root only");
  const postfixUser = unprivilegedUser(["postfix"]);
  if (!postfixUser) return missing("Postfix's user", "apt-get install postfix");
  const mailboxOwner = unprivilegedUser(["nobody"]);
  if (!mailboxOwner) throw new Error("there is no nobody user to own the mailboxes");
  const domains = (opts.domains ?? ["example.test"]).map((d) => d.toLowerCase());
  const first = domains[0];
  if (!first) throw new Error("startMail needs at least one domain");
  const users = (opts.users ?? ["alice", "bob"]).map((u) => mailUser(u, domains));
  const hostname = `mail.${first}`;
  const dir = mkdtempSync(join(tmpdir(), "steward-mail-"));
  chmodSync(dir, 0o755); // Postfix (as postfix) reaches Dovecot's sockets under it
  const managed = opts.managed ? managedFiles(dir, mailboxOwner) : null;
  let tlsFiles: { certFile: string; keyFile: string } | null = null;
  if (opts.dkim && !openDkimUser()) return missing("OpenDKIM", "apt-get install opendkim");
  const started: { postfix?: Postfix; dovecot?: Dovecot; opendkim?: OpenDkim } = {};
  const stop = async () => {
    await Promise.all([started.postfix?.stop(), started.dovecot?.stop(), started.opendkim?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [tls, smtp, submission, smtps, imap, milter] = await Promise.all([
      throwawayTls(dir, hostname),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    if (opts.dkim && managed)
      started.opendkim = await startOpenDkim({ dir, configDir: managed.configDir, port: milter });
    // managed: the certificate Steward installs (mail.apply copies it there), a throwaway at first
    tlsFiles = managed ? managedTls(managed.configDir, tls) : null;
    started.dovecot = await startDovecot(dovecot, {
      dir,
      hostname,
      imapPort: imap,
      users,
      mailOwner: mailboxOwner,
      managed: managed && {
        configDir: managed.configDir,
        tls: tlsFiles as TlsFiles,
        smtpPort: smtp,
      },
      sieve: Boolean(managed && opts.milterPort),
    });
    started.postfix = await startPostfix(postfix, {
      dir,
      hostname,
      domains,
      mailboxes: users.map((u) => u.address),
      ports: { smtp, submission, smtps },
      lmtpSocket: started.dovecot.lmtpSocket,
      saslSocket: started.dovecot.saslSocket,
      tls: tlsFiles ?? tls,
      mailOwner: postfixUser,
      managed,
      milter: started.opendkim?.milter ?? null,
      milterPort: opts.milterPort ?? null,
    });
    const logFile = started.postfix.logFile;
    const password = (address: string) => {
      const user = users.find((u) => u.address === address.toLowerCase());
      if (!user) throw new Error(`${address} has no mailbox on this test mail server`);
      return user.password;
    };
    const as = (given?: string) => ({
      host: "127.0.0.1",
      port: imap,
      ca: tls.ca,
      password: given === undefined ? password : () => given,
    });
    return {
      host: "127.0.0.1",
      hostname,
      ports: { smtp, submission, smtps, imap },
      ca: tls.ca,
      caFile: tls.caFile,
      domains,
      users,
      password,
      dir,
      managed: managed && {
        ...managed,
        postfixConfigDir: join(dir, "postfix"),
        dovecotConfig: started.dovecot.config,
        opendkim: started.opendkim
          ? {
              config: started.opendkim.config,
              pidFile: started.opendkim.pidFile,
              user: started.opendkim.user,
            }
          : null,
      },
      log: () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : ""),
      waitForMessage: (query) => waitForMessage(as(query.password), query),
      messages: (address, pass, folder) => readInbox(as(pass), address, folder),
      append: (to, raw, date) => appendMessage(as(to.password), to.address, to.folder, raw, date),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Steward's files, empty, and the mail root owned by the mailbox owner. */
function managedFiles(dir: string, owner: { uid: number; gid: number }) {
  const configDir = join(dir, "steward");
  const mailRoot = join(dir, "steward-mail");
  mkdirSync(configDir, { mode: 0o755 });
  for (const name of ["domains", "mailboxes", "aliases", "refuse", "users", "deny", "sni"])
    writeFileSync(join(configDir, name), "");
  mkdirSync(mailRoot, { mode: 0o700 });
  chownSync(mailRoot, owner.uid, owner.gid);
  return { configDir, mailRoot, uid: owner.uid, gid: owner.gid };
}

type TlsFiles = { certFile: string; keyFile: string };

/** Steward's copy of the mail certificate (<configDir>/tls/), the throwaway one at first. */
function managedTls(configDir: string, tls: TlsFiles): TlsFiles {
  const tlsDir = join(configDir, "tls");
  mkdirSync(tlsDir, { mode: 0o755 });
  const certFile = join(tlsDir, "fullchain.pem");
  const keyFile = join(tlsDir, "key.pem");
  writeFileSync(certFile, readFileSync(tls.certFile));
  writeFileSync(keyFile, readFileSync(tls.keyFile), { mode: 0o600 });
  return { certFile, keyFile };
}

/** A daemon's binary: where Debian puts it, or where the environment variable says. */
function systemBin(variable: string, debianPath: string): string | null {
  const bin = process.env[variable] ?? debianPath;
  return existsSync(bin) ? bin : null;
}

/** A mailbox of one of `domains` (the first when only a local part is given). */
function mailUser(user: string | MailUser, domains: string[]): MailUser {
  const given = typeof user === "string" ? user : user.address;
  const address = (given.includes("@") ? given : `${given}@${domains[0]}`).toLowerCase();
  const [local, domain] = address.split("@");
  if (!local || !domain || !domains.includes(domain))
    throw new Error(`mailbox ${given}: not an address of ${domains.join(", ")}`);
  const password = typeof user === "string" ? `${local}-secret` : user.password;
  if (/[:\s]/.test(`${address}${password}`))
    throw new Error(`mailbox ${given}: no colons or spaces (a passwd-file line)`);
  return { address, password };
}
