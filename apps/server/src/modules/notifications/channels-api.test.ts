// Notification channels through the API: each kind created, then "send test" against its
// provider's recording fake (channels/fakes/, reached as an installation's allow list of
// 127.0.0.1 would let it), the result recorded on the channel; secrets sealed at rest, never
// in an answer or the audit trail, kept through an update that leaves them out.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { auditRows } from "../../testing/auth.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { discordFake } from "./channels/fakes/discord.ts";
import { gotifyFake } from "./channels/fakes/gotify.ts";
import { matrixFake } from "./channels/fakes/matrix.ts";
import { ntfyFake } from "./channels/fakes/ntfy.ts";
import { type Fake, leaked } from "./channels/fakes/server.ts";
import { slackFake } from "./channels/fakes/slack.ts";
import { teamsFake } from "./channels/fakes/teams.ts";
import { telegramFake } from "./channels/fakes/telegram.ts";
import { useFake } from "./channels/fakes/use-fake.ts";
import { webhookFake } from "./channels/fakes/webhook.ts";
import * as repo from "./repo.ts";

const SECRETS = {
  webhook: "whsec_0123456789abcdef",
  slack: "services/T0001/B0001/abcdefghijklmnopqrstuvwx",
  discord: "tok_abcdefghijklmnopqrstuvwxyz0123456789",
  teams: "workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=s3cr3tsignature",
  telegram: "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq",
  ntfy: "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2",
  gotify: "AqkdWqbB7r.dH-x",
  matrix: "syt_c3Rld2FyZA_AbCdEfGhIjKlMnOpQrSt_1a2B3c",
};
const ROOM = "!ops:example.org";

const fakes = {
  webhook: useFake(webhookFake(SECRETS.webhook)),
  slack: useFake(slackFake(`/${SECRETS.slack}`)),
  discord: useFake(discordFake("123456", SECRETS.discord)),
  teams: useFake(teamsFake(`/${SECRETS.teams}`)),
  telegram: useFake(telegramFake(SECRETS.telegram, "-1001234567890")),
  ntfy: useFake(ntfyFake("steward-alerts", SECRETS.ntfy)),
  gotify: useFake(gotifyFake(SECRETS.gotify)),
  matrix: useFake(matrixFake(SECRETS.matrix, ROOM)),
};
type Kind = keyof typeof fakes;

/** Each kind's settings against its fake, with its secret (or a wrong one). */
const settingsOf = (kind: Kind, fake: Fake, secret: string = SECRETS[kind]) =>
  ({
    webhook: { kind, url: `${fake.url}/hooks/steward`, secret, headers: { "X-Team": "ops" } },
    slack: { kind, webhookUrl: `${fake.url}/${secret}` },
    discord: { kind, webhookUrl: `${fake.url}/api/webhooks/123456/${secret}` },
    teams: { kind, webhookUrl: `${fake.url}/${secret}` },
    telegram: { kind, botToken: secret, chatId: "-1001234567890", apiUrl: fake.url },
    ntfy: { kind, serverUrl: fake.url, topic: "steward-alerts", token: secret },
    gotify: { kind, serverUrl: `${fake.url}/`, appToken: secret },
    matrix: { kind, homeserverUrl: fake.url, accessToken: secret, roomId: ROOM },
  })[kind];

describe.each(dialects())("notification channels on %s", (dialect) => {
  const s = useServer(dialect, { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  const post = (path: string, body: unknown, key = w.keys.accountAdmin) =>
    s.request("POST", path, { key, body });

  it("sends a test on every HTTP kind through the API, as each provider documents", async () => {
    for (const kind of Object.keys(fakes) as Kind[]) {
      const fake = fakes[kind];
      const settings = settingsOf(kind, fake);
      const created = await post("/api/v1/notification-channels", {
        name: `${kind} alerts`,
        account: w.a,
        settings,
      });
      expect([kind, created.status]).toEqual([kind, 201]);
      expect(created.body).toMatchObject({ accountId: w.a, kind, enabled: true, lastTest: null });
      expect(created.body.secretsSet.length).toBeGreaterThan(0);
      expect(leaked(created.body, [SECRETS[kind]])).toEqual([]);

      const sent = await post(`/api/v1/notification-channels/${created.body.id}/test`, {});
      expect([kind, sent.status, sent.body.ok, sent.body.error]).toEqual([
        kind,
        200,
        true,
        undefined,
      ]);
      expect(sent.body.status).toBeGreaterThanOrEqual(200);
      expect(fake.problems).toEqual([]);
      expect(fake.requests.at(-1)?.body).toContain("a test notification from Steward");
      expect(leaked(sent.body, [SECRETS[kind]])).toEqual([]);

      const read = await s.request("GET", `/api/v1/notification-channels/${created.body.id}`, {
        key: w.keys.reader,
      });
      expect(read.body.lastTest).toMatchObject({ ok: true, status: sent.body.status, error: null });
      expect(leaked(read.body, [SECRETS[kind]])).toEqual([]);
    }
  }, 60_000);

  it("answers the provider's refusal of a wrong secret as a failed test, recorded on the channel", async () => {
    const wrong = "999999999:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDzzzz";
    const created = await post("/api/v1/notification-channels", {
      name: "wrong bot",
      account: w.a,
      settings: settingsOf("telegram", fakes.telegram, wrong),
    });
    const sent = await post(`/api/v1/notification-channels/${created.body.id}/test`, {});
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ ok: false, status: 401 });
    expect(sent.body.error).toMatch(/Unauthorized/);
    expect(leaked(sent.body, [wrong])).toEqual([]);
    const read = await s.svc.channels.get(s.cli, created.body.id);
    expect(read.lastTest).toMatchObject({ ok: false, status: 401 });
    const [event] = await auditRows(s, "notification_channel.test").then((rows) => rows.slice(-1));
    expect(event?.outcome).toBe("failure");
  });

  it("seals secrets at rest and keeps them out of every answer and the audit trail", async () => {
    const created = await post("/api/v1/notification-channels", {
      name: "sealed hook",
      account: w.a,
      settings: settingsOf("webhook", fakes.webhook),
    });
    const id = created.body.id;
    expect(created.body.settings).toMatchObject({
      secret: "[redacted]",
      headers: { "X-Team": "[redacted]" },
    });
    expect(created.body.secretsSet).toEqual(["secret", "headers"]);
    const raw = await repo.findChannel(s.svc.db.db, id);
    expect(raw?.secrets_sealed).toMatch(/^v1:/);
    expect(JSON.stringify(raw)).not.toContain(SECRETS.webhook);
    expect(JSON.stringify(raw)).not.toContain('"ops"');

    // an update leaving the secret out, or sending "[redacted]" back, keeps it
    const url = `${fakes.webhook.url}/hooks/renamed`;
    for (const settings of [
      { kind: "webhook", url },
      { kind: "webhook", url, secret: "[redacted]", headers: { "X-Team": "[redacted]" } },
    ]) {
      const patched = await s.request("PATCH", `/api/v1/notification-channels/${id}`, {
        key: w.keys.accountAdmin,
        body: { settings },
      });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      expect(patched.body.settings.url).toBe(url);
      const sent = await post(`/api/v1/notification-channels/${id}/test`, {});
      expect(sent.body.ok).toBe(true);
      expect(fakes.webhook.requests.at(-1)?.headers["x-team"]).toBe("ops");
      // a secret header is hidden whole in the recorded request, however short its value
      expect(sent.body.request.headers["X-Team"]).toBe("[redacted]");
    }
    const trail = (await auditRows(s)).filter((row) => row.target_id === id);
    expect(trail.map((row) => row.action)).toEqual([
      "notification_channel.create",
      "notification_channel.update",
      "notification_channel.test",
      "notification_channel.update",
      "notification_channel.test",
    ]);
    expect(JSON.stringify(trail)).not.toContain(SECRETS.webhook);
    expect(JSON.stringify(trail)).not.toContain('"ops"');
    const list = await s.request("GET", `/api/v1/notification-channels?account=${w.a}&limit=200`, {
      key: w.keys.reader,
    });
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(id);
    expect(leaked(list.body, Object.values(SECRETS))).toEqual([]);

    const removed = await s.request("DELETE", `/api/v1/notification-channels/${id}`, {
      key: w.keys.accountAdmin,
    });
    expect(removed.status).toBe(204);
    expect(await repo.findChannel(s.svc.db.db, id)).toBeUndefined();
  });
});
