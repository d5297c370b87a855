// bench:mail's burst (issue 18): N messages (default 1,000) to the node's local mailboxes
// over SMTP on port 25 (as from outside, no authentication), through a pool of connections,
// timed from the first MAIL FROM to the last message's 250 after DATA. Run once the mailboxes
// exist, the same way against the maps Steward wrote and the maps written directly: the
// acceptance rate shows whether Steward's maps cost Postfix anything when mail arrives.
import type { MailServer } from "@steward/testkit";
import { createTransport } from "nodemailer";

/** connections at once: a busy relay delivering to this node */
const CONNECTIONS = 8;

export async function burst(m: MailServer, to: (i: number) => string, messages: number) {
  const transport = createTransport({
    host: m.host,
    port: m.ports.smtp,
    ignoreTLS: true,
    pool: true,
    maxConnections: CONNECTIONS,
    maxMessages: Number.POSITIVE_INFINITY,
  });
  try {
    const start = performance.now();
    const sent = await Promise.all(
      Array.from({ length: messages }, (_, i) =>
        transport.sendMail({
          from: "sender@outside.test",
          to: to(i),
          subject: `burst ${i}`,
          text: `message ${i} of the burst\n`,
        }),
      ),
    );
    const seconds = (performance.now() - start) / 1000;
    const refused = sent.filter((s) => s.rejected.length > 0).length;
    if (refused) throw new Error(`${refused} of ${messages} burst messages refused`);
    return Math.round((messages / seconds) * 10) / 10;
  } finally {
    transport.close();
  }
}
