// Mail's certificate end to end (issue 18, the HestiaCP counter-case: renewals that forget
// mail): the panel, its worker and an enrolled agent whose nginx and Postfix + Dovecot are
// hermetic. A mail domain names a site's certificate: STARTTLS on SMTP and IMAP serves it; a
// new certificate installed for the site (an upload goes through the same install as an ACME
// renewal: certificates/serve.ts) is installed into Postfix and Dovecot again by itself, and
// the handshakes show the new serial.
import { execFileSync } from "node:child_process";
import { mailSection } from "@steward/agent/testing";
import { startMail, startNginx } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrollRealNode, type RealNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { siteWithCertificates } from "../../testing/site-certificate.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const nginx = await startNginx({ listen: "127.0.0.18" });
const mail = nginx ? await startMail({ managed: true }) : null;

/** The serial (hex) of the certificate served after STARTTLS on a port. */
function served(proto: "smtp" | "imap", port: number) {
  const hello = execFileSync(
    "openssl",
    ["s_client", "-connect", `127.0.0.1:${port}`, "-starttls", proto],
    { input: "", encoding: "utf8", stdio: ["pipe", "pipe", "ignore"] },
  );
  return execFileSync("openssl", ["x509", "-noout", "-serial"], { input: hello, encoding: "utf8" })
    .trim()
    .replace("serial=", "");
}

describe.skipIf(!nginx || !mail)("mail's certificate, installed and renewed", () => {
  const m = mail as NonNullable<typeof mail>;
  const s = useServer("sqlite");
  const w = useWorld(s);
  let node: RealNode | null = null;
  const api = (method: string, url: string, body?: unknown, key = w.keys.super) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  const settled = async (taskId: string) => {
    const task = await settleTask(s, taskId, 60_000);
    expect(task.state, await taskLogText(s, taskId)).toBe("succeeded");
  };

  beforeAll(async () => {
    s.svc.engine.startWorker();
    node = await enrollRealNode(s, w.keys.super, {
      name: "mail-tls-node",
      nginx: nginx as NonNullable<typeof nginx>,
      agentJson: { mail: mailSection(m) },
    });
  }, 120_000);
  afterAll(async () => {
    await node?.close();
    await Promise.all([nginx?.stop(), m.stop()]);
  });

  it("serves the site's certificate over STARTTLS, and again after it is renewed", async () => {
    const HOST = "mail.tls-example.test";
    const { site, upload } = await siteWithCertificates(s, w.keys.super, {
      node: node?.id as string,
      account: w.a,
      host: HOST,
    });
    const first = await upload();
    const domain = await api("POST", "/api/v1/mail/domains", {
      name: "tls-example.test",
      node: node?.id,
      account: w.a,
    });
    await settled(domain.body.taskId);
    const named = await api("PATCH", `/api/v1/mail/domains/${domain.body.id}`, {
      certificateSite: site,
    });
    expect(named.status, JSON.stringify(named.body)).toBe(200);
    expect(named.body.certificateSite).toBe(site);
    await settled(named.body.taskId);
    expect(served("smtp", m.ports.smtp)).toBe(first);
    expect(served("imap", m.ports.imap)).toBe(first);
    // the renewal: the certificates capability installs a new one for the site; mail follows
    const second = await upload();
    expect(second).not.toBe(first);
    const after = await api("GET", `/api/v1/mail/domains/${domain.body.id}`);
    expect(after.body.taskId).not.toBe(named.body.taskId);
    await settled(after.body.taskId);
    expect(served("smtp", m.ports.submission)).toBe(second);
    expect(served("imap", m.ports.imap)).toBe(second);
    // a site of another account, or on another node, is refused naming the field
    const foreign = await api("PATCH", `/api/v1/mail/domains/${domain.body.id}`, {
      certificateSite: "site_missing",
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.message).toMatch(/^body\.certificateSite: /);
  });
});
