// A recording SMTP receiver for the email sender's tests (the npm smtp-server): it records
// the envelope and the raw message, accepts only the recipients and the login it was given,
// and refuses the rest the way a mail server does (550 for an unknown mailbox, 535 for a
// failed login). The end-to-end test against Postfix + Dovecot read back over IMAP is the
// testkit's (packages/testkit mail), added when that lands.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface Received {
  from: string;
  to: string[];
  user: string | undefined;
  /** the message came over TLS (implicit or STARTTLS) */
  secure: boolean;
  raw: string;
}

export interface SmtpFake {
  port: number;
  received: Received[];
  close(): Promise<void>;
}

export async function startSmtpFake(accept: {
  mailboxes: string[];
  login?: { user: string; pass: string };
  /** a certificate: STARTTLS is offered, or TLS from the first byte when `secure` */
  tls?: { key: string; cert: string; secure?: boolean };
}): Promise<SmtpFake> {
  const received: Received[] = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: accept.tls ? [] : ["STARTTLS"],
    ...(accept.tls
      ? { key: accept.tls.key, cert: accept.tls.cert, secure: !!accept.tls.secure }
      : {}),
    authOptional: !accept.login,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      const ok = auth.username === accept.login?.user && auth.password === accept.login?.pass;
      if (!ok)
        return callback(
          Object.assign(new Error("Authentication credentials invalid"), { responseCode: 535 }),
        );
      callback(null, { user: auth.username });
    },
    onRcptTo(address, _session, callback) {
      if (accept.mailboxes.includes(address.address)) return callback();
      callback(
        Object.assign(new Error(`Mailbox <${address.address}> does not exist`), {
          responseCode: 550,
        }),
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          secure: session.secure,
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback(null, "Message queued as 4XYZ");
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
