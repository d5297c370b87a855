// The real `steward` CLI as a child process: notification channels and message templates.
// Secrets come from a flag or standard input and are never printed; a test send against a
// local receiver (an installation-wide channel may reach it: STEWARD_OUTBOUND_ALLOW).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, type Page, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

interface ChannelJson {
  id: string;
  name: string;
  kind: string;
  accountId: string | null;
  settings: Record<string, unknown>;
  secretsSet: string[];
}

const SECRET = "whsec_0123456789abcdef";
let receiver = "";
const received: { headers: Record<string, unknown>; body: string }[] = [];
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => {
    body += c;
  });
  req.on("end", () => {
    received.push({ headers: req.headers, body });
    res.writeHead(req.url === "/refuse" ? 403 : 200).end("thanks");
  });
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

// each test runs a dozen CLI processes: on a shared machine more than the default 30 s
describe.concurrent("steward channel and template", { timeout: 240_000 }, () => {
  it("adds, lists, updates, tests and removes a channel, its secret never printed", async () => {
    const c = cliFor(undefined, { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" });
    const settings = JSON.stringify({ url: `${receiver}/hook` });
    const add = [
      "channel",
      "add",
      "--name",
      "ops hook",
      "--kind",
      "webhook",
      "--settings",
      settings,
    ];
    const hook = await c.json<ChannelJson>([...add, "--secrets-stdin"], {
      input: JSON.stringify({ secret: SECRET }),
    });
    expect(hook).toMatchObject({
      kind: "webhook",
      accountId: null,
      secretsSet: ["secret", "headers"],
    });
    expect(hook.settings.secret).toBe("[redacted]");
    const [list, human, shown] = await Promise.all([
      c.json<Page<ChannelJson>>(["channel", "list", "--kind", "webhook"]),
      c.ok(["channel", "list"]),
      c.ok(["channel", "show", hook.id]),
    ]);
    expect(list.items.map((item) => item.id)).toEqual([hook.id]);
    expect(human).toMatch(/^ID\s+NAME\s+KIND/);
    expect(`${human}${shown}`).not.toContain(SECRET);

    const sent = await c.json<{ ok: boolean; status: number }>(["channel", "test", hook.id]);
    expect(sent).toMatchObject({ ok: true, status: 200 });
    expect(received.at(-1)?.headers["x-steward-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    // the URL changes; the secret stays
    const moved = JSON.stringify({ url: `${receiver}/refuse` });
    await c.json(["channel", "update", hook.id, "--settings", moved, "--disable"]);
    const refused = await c.run(["--json", "channel", "test", hook.id]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, status: 403 });
    expect(refused.stdout).not.toContain(SECRET);

    expect(await c.fails(["channel", "remove", hook.id], 2)).toMatch(/add --yes/);
    expect(await c.json(["channel", "remove", hook.id, "--yes"])).toEqual({ removed: hook.id });
    expect(await c.auditActions("notification_channel.*")).toEqual([
      "notification_channel.create",
      "notification_channel.delete",
      "notification_channel.test",
      "notification_channel.test",
      "notification_channel.update",
    ]);
  });

  it("refuses bad settings naming the option and the field, before anything is written", async () => {
    const c = cliFor();
    const add = ["channel", "add", "--name", "x", "--kind", "webhook"];
    expect(await c.fails([...add, "--settings", "[1]"], 2)).toBe(
      "steward: --settings: must be a JSON object",
    );
    const loopback = JSON.stringify({ url: "ftp://127.0.0.1/" });
    expect(
      await c.fails([...add, "--settings", loopback, "--secret", `secret=${SECRET}`], 2),
    ).toMatch(/^steward: --settings url: /);
    expect(await c.fails([...add.slice(0, 4), "--kind", "fax"], 2)).toMatch(/^steward: --kind: /);
    const local = JSON.stringify({ url: "http://127.0.0.1/" });
    const account = ["--secret", `secret=${SECRET}`];
    expect(await c.fails([...add, "--settings", local, ...account], 1)).toMatch(
      /^steward: settings\.url: /,
    );
  });

  it("shows, sets, previews and resets a template", async () => {
    const c = cliFor();
    const list = await c.json<{ items: { customised: boolean }[] }>(["template", "list"]);
    expect(list.items.length).toBeGreaterThan(30);
    const set = [
      "template",
      "set",
      "monitor.down",
      "text",
      "--subject",
      "{{ fields.monitorName }} down",
    ];
    expect(
      await c.json([...set, "--body-file", "-"], { input: "{{ event.summary }}" }),
    ).toMatchObject({
      customised: true,
      body: "{{ event.summary }}",
    });
    expect(await c.ok(["template", "preview", "monitor.down", "text"])).toBe(
      "shop.example.com down\n\nmonitor shop.example.com is down\n",
    );
    expect(
      await c.fails([...set.slice(0, 4), "--subject", "{{ fields.nodeName }}", "--body", "x"], 1),
    ).toMatch(/^steward: subject: .*fields\.nodeName/);
    expect(await c.json(["template", "reset", "monitor.down", "text"])).toMatchObject({
      customised: false,
    });
    expect(await c.fails(["template", "show", "monitor.nope", "text"], 2)).toMatch(
      /^steward: <type>: /,
    );
  });
});
