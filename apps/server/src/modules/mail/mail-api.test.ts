// Mail hosting end to end, real components only: the panel with its worker, an agent enrolled
// through the public endpoint whose agent.json points at a hermetic Postfix + Dovecot reading
// Steward's files. A domain (an IDN, kept as punycode), a mailbox, an alias and a catch-all
// made through the API are served: authenticated submission delivers to the new mailbox, read
// over IMAP; a new password replaces the old one; a removed mailbox is refused at RCPT; hostile
// values are refused naming the field with nothing written; another account sees nothing.
import { mailSection } from "@steward/agent/testing";
import { BAD_DOMAIN_NAMES, BAD_MAIL_LOCAL_PARTS } from "@steward/contracts/testing";
import { startMail } from "@steward/testkit";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EnrolledNode, enrollNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const mail = await startMail({ managed: true });

describe.skipIf(!mail)("mail hosting through the panel on Postfix and Dovecot", () => {
  const m = mail as NonNullable<typeof mail>;
  const s = useServer("sqlite");
  const w = useWorld(s);
  let node: EnrolledNode | null = null;
  const D = "/api/v1/mail/domains";
  const api = (method: string, url: string, body?: unknown, key = w.keys.super) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  const settled = async (taskId: string) => {
    const task = await settleTask(s, taskId, 60_000);
    expect(task.state, await taskLogText(s, taskId)).toBe("succeeded");
  };
  const submit = (user: string, pass: string) =>
    nodemailer.createTransport({
      host: m.host,
      port: m.ports.submission,
      requireTLS: true,
      tls: { ca: m.ca, servername: m.hostname },
      auth: { user, pass },
    });
  const plain = () =>
    nodemailer.createTransport({ host: m.host, port: m.ports.smtp, ignoreTLS: true });

  beforeAll(async () => {
    s.svc.engine.startWorker();
    node = await enrollNode(s, w.keys.super, {
      name: "mail-node",
      listen: "127.0.0.1",
      agentJson: { mail: mailSection(m) },
    });
  }, 120_000);
  afterAll(async () => {
    await node?.close();
    await m.stop();
  });

  let domainId = "";
  let mailboxId = "";
  const DOMAIN = "xn--bcher-kva.test";
  const ANNA = `anna@${DOMAIN}`;

  it("serves a new domain and mailbox: submission with AUTH delivers, IMAP reads it", async () => {
    const created = await api("POST", D, { name: "Bücher.test", node: node?.id, account: w.a });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name: DOMAIN, status: "pending", accountId: w.a });
    domainId = created.body.id;
    await settled(created.body.taskId);
    const box = await api("POST", `${D}/${domainId}/mailboxes`, {
      localPart: "Anna",
      password: "anna-first-password",
      quotaMb: 50,
    });
    expect(box.status, JSON.stringify(box.body)).toBe(201);
    expect(box.body).toMatchObject({ address: ANNA, quotaMb: 50, enabled: true });
    expect(JSON.stringify(box.body)).not.toMatch(/password|ARGON2/i);
    mailboxId = box.body.id;
    await settled(box.body.taskId);
    await submit(ANNA, "anna-first-password").sendMail({
      from: ANNA,
      to: ANNA,
      subject: "Note to self",
      text: "it works",
    });
    const got = await m.waitForMessage({
      to: ANNA,
      password: "anna-first-password",
      subject: "Note to self",
    });
    expect(got.text.trim()).toBe("it works");
    const domain = (await api("GET", `${D}/${domainId}`)).body;
    expect(domain).toMatchObject({ status: "active", mailboxes: 1, aliases: 0, lastError: null });
    const audit = await api("GET", "/api/v1/audit-events?action=mail.*");
    expect(JSON.stringify(audit.body)).not.toContain("anna-first-password");
  });

  it("delivers through an alias and the catch-all, listed with the domain", async () => {
    const alias = await api("POST", `${D}/${domainId}/aliases`, {
      localPart: "info",
      destinations: [ANNA, "someone@outside.test"],
    });
    expect(alias.status, JSON.stringify(alias.body)).toBe(201);
    const all = await api("POST", `${D}/${domainId}/aliases`, {
      catchAll: true,
      destinations: [ANNA],
    });
    expect(all.status).toBe(201);
    expect(all.body).toMatchObject({ source: `@${DOMAIN}`, catchAll: true });
    await settled(all.body.taskId);
    await plain().sendMail({ from: "x@outside.test", to: `info@${DOMAIN}`, subject: "Info" });
    await plain().sendMail({ from: "x@outside.test", to: `any@${DOMAIN}`, subject: "Any" });
    await m.waitForMessage({ to: ANNA, password: "anna-first-password", subject: "Info" });
    await m.waitForMessage({ to: ANNA, password: "anna-first-password", subject: "Any" });
    const list = await api("GET", `${D}/${domainId}/aliases`);
    expect(list.body.items.map((a: { source: string }) => a.source)).toEqual([
      `info@${DOMAIN}`,
      `@${DOMAIN}`,
    ]);
    const taken = await api("POST", `${D}/${domainId}/mailboxes`, {
      localPart: "info",
      password: "another-password",
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toMatch(/already an alias/);
    // back without the catch-all: unknown addresses are refused again
    await settled((await api("DELETE", `/api/v1/mail/aliases/${all.body.id}`)).body.taskId);
  });

  it("replaces the password: the old one is refused, the new one logs in", async () => {
    const changed = await api("POST", `/api/v1/mail/mailboxes/${mailboxId}/password`, {
      password: "anna-second-password",
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    await settled(changed.body.taskId);
    // Dovecot reads its passwd-file at most once a second: the old one goes within that
    await expect
      .poll(
        () =>
          submit(ANNA, "anna-first-password")
            .sendMail({ from: ANNA, to: ANNA, subject: "old" })
            .then(
              () => "accepted",
              (e: Error) => e.message,
            ),
        { timeout: 5_000, interval: 250 },
      )
      .toMatch(/535/);
    await submit(ANNA, "anna-second-password").sendMail({ from: ANNA, to: ANNA, subject: "New" });
    await m.waitForMessage({ to: ANNA, password: "anna-second-password", subject: "New" });
  });

  it("refuses hostile values naming the field, and writes nothing", async () => {
    const before = (await api("GET", `${D}/${domainId}/mailboxes`)).body.items.length;
    for (const localPart of BAD_MAIL_LOCAL_PARTS) {
      const r = await api("POST", `${D}/${domainId}/mailboxes`, {
        localPart,
        password: "hostile-password-1",
      });
      expect(r.status, JSON.stringify(localPart)).toBe(400);
      expect(r.body.error.message).toMatch(/localPart/);
    }
    for (const name of [...BAD_DOMAIN_NAMES, "\u212Aelvin.test"]) {
      const r = await api("POST", D, { name, node: node?.id, account: w.a });
      expect(r.status, name).toBe(400);
      expect(r.body.error.message).toMatch(/name/);
    }
    for (const dest of [
      "a@b.test\nbcc@evil.test",
      "x@y.test,z@w.test",
      "no-at-sign",
      "a@b@c.test",
    ]) {
      const r = await api("POST", `${D}/${domainId}/aliases`, {
        localPart: "evil",
        destinations: [dest],
      });
      expect(r.status, dest).toBe(400);
      expect(r.body.error.message).toMatch(/destinations/);
    }
    const weak = await api("POST", `${D}/${domainId}/mailboxes`, {
      localPart: "weak",
      password: "short",
    });
    expect(weak.body.error.message).toMatch(/password/);
    const quota = await api("PATCH", `/api/v1/mail/mailboxes/${mailboxId}`, { quotaMb: -1 });
    expect(quota.body.error.message).toMatch(/quotaMb/);
    expect((await api("GET", `${D}/${domainId}/mailboxes`)).body.items.length).toBe(before);
  });

  it("keeps another account's admin out: not found, not even the name", async () => {
    const other = await api("GET", `${D}/${domainId}`, undefined, w.keys.otherAdmin);
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).not.toContain(DOMAIN);
    const list = await api("GET", D, undefined, w.keys.otherAdmin);
    expect(list.body.items).toEqual([]);
    const reader = await api(
      "POST",
      `/api/v1/mail/mailboxes/${mailboxId}/password`,
      { password: "reader-password-1" },
      w.keys.reader,
    );
    expect(reader.status).toBe(403);
    const otherBox = await api(
      "DELETE",
      `/api/v1/mail/mailboxes/${mailboxId}`,
      undefined,
      w.keys.otherAdmin,
    );
    expect(otherBox.status).toBe(404);
  });

  it("keeps a name another account holds as a site or under a zone: not available, said alike", async () => {
    const site = await api("POST", "/api/v1/sites", {
      node: node?.id,
      account: w.a,
      domains: ["shop-a.test"],
      kind: "static",
      https: false,
      monitor: false,
    });
    expect(site.status, JSON.stringify(site.body)).toBe(201);
    const zone = await api("POST", "/api/v1/dns/zones", {
      name: "zone-a.test",
      node: node?.id,
      account: w.a,
      template: { nameservers: ["ns1.zone-a.test."], ipv4: "192.0.2.1", mail: false },
    });
    expect(zone.status, JSON.stringify(zone.body)).toBe(201);
    for (const name of ["shop-a.test", "mx.zone-a.test"]) {
      const taken = await api("POST", D, { name, node: node?.id, account: w.b }, w.keys.otherAdmin);
      expect([name, taken.status]).toEqual([name, 409]);
      expect(taken.body.error.message).toBe(`the mail domain ${name} is not available`);
      expect(JSON.stringify(taken.body)).not.toContain(site.body.id);
      expect(JSON.stringify(taken.body)).not.toContain(zone.body.id);
    }
    const list = await api("GET", `${D}?account=${w.b}`, undefined, w.keys.otherAdmin);
    expect(list.body.items).toEqual([]);
  });

  it("removes a mailbox: refused at RCPT once applied; deleting the domain removes the rest", async () => {
    const removed = await api("DELETE", `/api/v1/mail/mailboxes/${mailboxId}`);
    expect(removed.status).toBe(200);
    await settled(removed.body.taskId);
    await expect(
      plain().sendMail({ from: "x@outside.test", to: ANNA, subject: "Gone" }),
    ).rejects.toMatchObject({ responseCode: 550 });
    const gone = await api("DELETE", `${D}/${domainId}`);
    expect(gone.status).toBe(202);
    await settled(gone.body.taskId);
    expect((await api("GET", `${D}/${domainId}`)).status).toBe(404);
    await expect(
      plain().sendMail({ from: "x@outside.test", to: `info@${DOMAIN}`, subject: "Gone" }),
    ).rejects.toThrow(/Relay access denied/);
  });
});
