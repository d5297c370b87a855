// Virus scanning end to end, real components only: the panel with its worker and an enrolled
// agent whose Postfix + Dovecot are hermetic, Postfix's milter a real rspamd and rspamd's
// antivirus module a real clamd (its database one signature of the EICAR test file). The
// node's own facts (asked through the API) list rspamd and clamd, so reject is offered; set
// through the API, the EICAR file attached to mail for the domain is refused at SMTP naming
// the virus while a clean message and the same file to another domain are delivered; set off
// again, the file is delivered.
import { mailSection, rspamdSection } from "@steward/agent/testing";
import { EICAR, startClamd, startMail, startRspamd } from "@steward/testkit";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EnrolledNode, enrollNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const clamd = await startClamd();
const rspamd = clamd ? await startRspamd() : null;
const mail = rspamd ? await startMail({ managed: true, milterPort: rspamd.ports.milter }) : null;

describe.skipIf(!mail)("a mail domain's virus scanning through the panel", () => {
  const m = mail as NonNullable<typeof mail>;
  const s = useServer("sqlite");
  const w = useWorld(s);
  let node: EnrolledNode | null = null;
  const D = "/api/v1/mail/domains";
  const api = (method: string, url: string, body?: unknown) =>
    s.request(method, url, { key: w.keys.super, ...(body === undefined ? {} : { body }) });
  const settled = async (taskId: string) => {
    const task = await settleTask(s, taskId, 90_000);
    expect(task.state, await taskLogText(s, taskId)).toBe("succeeded");
  };
  const PASS = "virus-api-password-1";
  // as from outside: port 25, no authentication
  const send = (to: string, subject: string, attachment: string) =>
    nodemailer
      .createTransport({
        host: m.host,
        port: m.ports.smtp,
        tls: { ca: m.ca, servername: m.hostname },
      })
      .sendMail({
        from: "sender@outside.test",
        to,
        subject,
        text: "See the attached file.",
        attachments: [{ filename: "file.com", content: attachment }],
      });
  const read = (to: string, subject: string) =>
    m.waitForMessage({ to, subject, password: PASS, timeoutMs: 30_000 });
  const domains: Record<string, string> = {};

  beforeAll(async () => {
    s.svc.engine.startWorker();
    const r = rspamd as NonNullable<typeof rspamd>;
    const c = clamd as NonNullable<typeof clamd>;
    node = await enrollNode(s, w.keys.super, {
      name: "mail-node",
      listen: "127.0.0.1",
      agentJson: {
        mail: { ...mailSection(m), rspamd: { ...rspamdSection(r), clamd: `${c.host}:${c.port}` } },
      },
    });
    for (const name of ["scanned.test", "open.test"]) {
      const made = await api("POST", D, { name, node: node.id, account: w.a });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      domains[name] = made.body.id;
      const box = await api("POST", `${D}/${made.body.id}/mailboxes`, {
        localPart: "ina",
        password: PASS,
      });
      expect(box.status, JSON.stringify(box.body)).toBe(201);
      await settled(box.body.taskId);
    }
  }, 240_000);
  afterAll(async () => {
    await node?.close();
    await m.stop();
    await rspamd?.stop();
    await clamd?.stop();
  });

  it("refuses a virus at SMTP once set to reject, and delivers it again once off", async () => {
    const id = domains["scanned.test"] as string;
    const refresh = await api("POST", `/api/v1/nodes/${node?.id}/facts/refresh`);
    expect(refresh.status).toBe(202);
    await settled(refresh.body.taskId);
    expect((await api("GET", `${D}/${id}`)).body).toMatchObject({
      virusFilter: "off",
      virusAvailable: true,
    });
    const on = await api("PUT", `${D}/${id}/virus`, { virusFilter: "reject" });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    await settled(on.body.taskId);

    await expect(send("ina@scanned.test", "A virus", EICAR)).rejects.toThrow(
      /554 5\.7\.1 clamav: virus found: "Eicar-Test-Signature/,
    );
    await send("ina@scanned.test", "A clean file", "nothing harmful here");
    await read("ina@scanned.test", "A clean file");
    await send("ina@open.test", "A virus, not scanned", EICAR);
    await read("ina@open.test", "A virus, not scanned");
    expect((await m.messages("ina@scanned.test", PASS)).map((x) => x.subject)).toEqual([
      "A clean file",
    ]);

    const off = await api("PUT", `${D}/${id}/virus`, { virusFilter: "off" });
    await settled(off.body.taskId);
    await send("ina@scanned.test", "A virus, now let through", EICAR);
    await read("ina@scanned.test", "A virus, now let through");
  }, 240_000);
});
