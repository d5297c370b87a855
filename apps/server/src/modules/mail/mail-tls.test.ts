// Mail's certificate end to end (issue 18, the HestiaCP counter-case: renewals that forget
// mail): the panel, its worker and an enrolled agent whose nginx and Postfix + Dovecot are
// hermetic. A mail domain names a site's certificate: STARTTLS on SMTP and IMAP serves it; a
// new certificate installed for the site (an upload goes through the same install as an ACME
// renewal: certificates/serve.ts) is installed into Postfix and Dovecot again by itself, and
// the handshakes show the new serial. A second domain naming a site of its own gets that
// site's certificate by SNI; its renewal re-installs it, and the first is served as before.
import { mailSection, starttlsServed as served } from "@steward/agent/testing";
import { startMail, startNginx } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrollRealNode, type RealNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { siteWithCertificates } from "../../testing/site-certificate.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const nginx = await startNginx({ listen: "127.0.0.18" });
const mail = nginx ? await startMail({ managed: true }) : null;

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

  /** the default certificate's serial, its domain and its host after the first test */
  let serial = "";
  let defaultDomain = { id: "", taskId: "", host: "" };
  /** a retry makes names of its own: the attempt before left its site and domain behind */
  const attempts = new Map<string, number>();
  const fresh = (name: string) => {
    const n = (attempts.get(name) ?? 0) + 1;
    attempts.set(name, n);
    return n === 1 ? name : `r${n}-${name}`;
  };

  it("serves the site's certificate over STARTTLS, and again after it is renewed", async () => {
    const NAME = fresh("tls-example.test");
    const HOST = `mail.${NAME}`;
    const { site, upload } = await siteWithCertificates(s, w.keys.super, {
      node: node?.id as string,
      account: w.a,
      host: HOST,
    });
    const first = await upload();
    const domain = await api("POST", "/api/v1/mail/domains", {
      name: NAME,
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
    serial = second;
    defaultDomain = { id: domain.body.id, taskId: after.body.taskId, host: HOST };
    // a site of another account, or on another node, is refused naming the field
    const foreign = await api("PATCH", `/api/v1/mail/domains/${domain.body.id}`, {
      certificateSite: "site_missing",
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.message).toMatch(/^body\.certificateSite: /);
  });

  it("serves a second domain's own certificate by SNI, and re-installs it when renewed", async () => {
    const NAME = fresh("sni-example.test");
    const HOST = `mail.${NAME}`;
    const { site, upload } = await siteWithCertificates(s, w.keys.super, {
      node: node?.id as string,
      account: w.a,
      host: HOST,
    });
    const first = await upload();
    const domain = await api("POST", "/api/v1/mail/domains", {
      name: NAME,
      node: node?.id,
      account: w.a,
    });
    await settled(domain.body.taskId);
    const named = await api("PATCH", `/api/v1/mail/domains/${domain.body.id}`, {
      certificateSite: site,
    });
    await settled(named.body.taskId);
    const log = await taskLogText(s, named.body.taskId);
    expect(log).toContain(`STARTTLS serves certificate ${first} of site ${site} by SNI`);
    for (const [proto, port] of [
      ["smtp", m.ports.smtp],
      ["smtp", m.ports.submission],
      ["imap", m.ports.imap],
    ] as const) {
      expect(served(proto, port, HOST), `${proto} ${port}`).toBe(first);
      expect(served(proto, port), `${proto} ${port}`).toBe(serial);
      expect(served(proto, port, defaultDomain.host), `${proto} ${port}`).toBe(serial);
    }
    // mail clients of the domain are sent to the name its own certificate is served to
    const settings = await s.request("GET", `/mail/config-v1.1.xml?emailaddress=info%40${NAME}`);
    expect(settings.body).toContain(`<hostname>${HOST}</hostname>`);
    // the renewal of this site's certificate re-installs it; the node's default stays
    const second = await upload();
    const after = await api("GET", `/api/v1/mail/domains/${domain.body.id}`);
    expect(after.body.taskId).not.toBe(named.body.taskId);
    await settled(after.body.taskId);
    expect(served("smtp", m.ports.smtp, HOST)).toBe(second);
    expect(served("imap", m.ports.imap, HOST)).toBe(second);
    expect(served("smtp", m.ports.smtp)).toBe(serial);
    expect(served("imap", m.ports.imap)).toBe(serial);
    // only the renewed site's domain applied again
    const other = await api("GET", `/api/v1/mail/domains/${defaultDomain.id}`);
    expect(other.body.taskId).toBe(defaultDomain.taskId);
  }, 120_000);
});
