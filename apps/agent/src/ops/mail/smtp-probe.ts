// The RCPT check after a change (docs/mail.md): an SMTP conversation with the node's Postfix
// (EHLO, MAIL FROM:<>, one RCPT per address, RSET, QUIT), no message sent. Each address is
// accepted (2xx) or refused (5xx) as the new files say; a 4xx or an old smtpd process still
// answering with the previous maps is asked again until the deadline.
import { connect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";

export interface RcptAnswer {
  address: string;
  code: number;
  text: string;
}

/** Reads SMTP replies (multi-line: `250-...` until `250 ...`) from a socket. */
export function replies(socket: Socket) {
  let buffer = "";
  const waiting: ((reply: { code: number; text: string }) => void)[] = [];
  const ready: { code: number; text: string }[] = [];
  let lines: string[] = [];
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
      const line = buffer.slice(0, nl).replace(/\r$/, "");
      buffer = buffer.slice(nl + 1);
      lines.push(line);
      if (line[3] === "-") continue;
      const reply = { code: Number(line.slice(0, 3)), text: lines.join(" ") };
      lines = [];
      const next = waiting.shift();
      if (next) next(reply);
      else ready.push(reply);
    }
  });
  return () =>
    new Promise<{ code: number; text: string }>((resolve) => {
      const r = ready.shift();
      if (r) resolve(r);
      else waiting.push(resolve);
    });
}

/** One conversation: each address's RCPT answer. */
export async function probeRcpt(
  server: { host: string; port: number },
  addresses: string[],
  timeoutMs = 10_000,
): Promise<RcptAnswer[]> {
  const socket = connect({ host: server.host, port: server.port });
  socket.setTimeout(timeoutMs);
  const failed = new Promise<never>((_, reject) => {
    socket.once("error", reject);
    socket.once("timeout", () => reject(new Error("the SMTP server did not answer in time")));
    socket.once("close", () => reject(new Error("the SMTP server closed the connection")));
  });
  const next = replies(socket);
  const say = async (line: string) => {
    socket.write(`${line}\r\n`);
    return Promise.race([next(), failed]);
  };
  try {
    const greeting = await Promise.race([next(), failed]);
    if (greeting.code !== 220) throw new Error(`the SMTP server greeted ${greeting.text}`);
    const ehlo = await say("EHLO steward-agent.invalid");
    if (ehlo.code !== 250) throw new Error(`EHLO answered ${ehlo.text}`);
    const from = await say("MAIL FROM:<>");
    if (from.code !== 250) throw new Error(`MAIL FROM answered ${from.text}`);
    const answers: RcptAnswer[] = [];
    for (const address of addresses) {
      const r = await say(`RCPT TO:<${address}>`);
      answers.push({ address, ...r });
    }
    await say("RSET");
    socket.write("QUIT\r\n");
    return answers;
  } finally {
    failed.catch(() => {});
    socket.destroy();
  }
}

/** The commands (and the reply each wants) before the TLS handshake: SMTP's STARTTLS. */
const SMTP_STARTTLS: [string, number][] = [
  ["EHLO steward-agent.invalid", 250],
  ["STARTTLS", 220],
];
/** FTP's explicit TLS (RFC 4217): pure-ftpd's FTPS (ops/sysusers/ftp-tls.ts). */
export const FTP_AUTH_TLS: [string, number][] = [["AUTH TLS", 234]];

/**
 * The serial (upper-case hex) of the certificate Postfix serves after STARTTLS (or another
 * server after `dialogue`: FTP's AUTH TLS), on a fresh connection, naming `servername` (SNI)
 * or no name; trust is not checked (the serial is compared with the installed one).
 */
export async function starttlsSerial(
  server: { host: string; port: number },
  dialogue = SMTP_STARTTLS,
  servername?: string,
): Promise<string> {
  const socket = connect({ host: server.host, port: server.port });
  socket.setTimeout(5_000);
  const failed = new Promise<never>((_, reject) => {
    socket.once("error", reject);
    socket.once("timeout", () => reject(new Error("the server did not answer in time")));
    // a daemon restarting closes what it accepted: no error, no idle timeout after a close,
    // so without this the reply awaited never comes and the operation waits for ever
    socket.once("close", () => reject(new Error("the server closed the connection")));
  });
  failed.catch(() => {});
  try {
    const next = replies(socket);
    const expect = async (line: string | null, code: number) => {
      if (line !== null) socket.write(`${line}\r\n`);
      const r = await Promise.race([next(), failed]);
      if (r.code !== code) throw new Error(`${line ?? "the greeting"} answered ${r.text}`);
    };
    await expect(null, 220);
    for (const [line, code] of dialogue) await expect(line, code);
    socket.removeAllListeners("data");
    const secure = tlsConnect({
      socket,
      rejectUnauthorized: false,
      ...(servername ? { servername } : {}),
    });
    // the handshake races the plain socket's timeout too: a server that stalls in it (a daemon
    // restarting on a loaded machine) must fail this try, not hold the operation for ever
    const serial = await Promise.race([
      new Promise<string>((resolve, reject) => {
        secure.once("secureConnect", () => resolve(secure.getPeerCertificate().serialNumber ?? ""));
        secure.once("error", reject);
        secure.setTimeout(5_000, () =>
          secure.destroy(new Error("the server did not finish the TLS handshake in time")),
        );
      }),
      failed,
    ]);
    secure.destroy();
    return serial.toUpperCase();
  } finally {
    socket.destroy();
  }
}
