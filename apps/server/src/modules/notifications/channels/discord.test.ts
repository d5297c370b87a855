// Discord's sender against the recording fake of its execute-webhook endpoint (fakes/discord.ts).
import { discordChannel } from "@steward/contracts/notifications";
import { expect, it } from "vitest";
import { send } from "./discord.ts";
import { discordFake } from "./fakes/discord.ts";
import { fakeDeps, leaked, MESSAGE } from "./fakes/server.ts";
import { expectRefused, useFake } from "./fakes/use-fake.ts";

const TOKEN = "tok_abcdefghijklmnopqrstuvwxyz0123456789";
const fake = useFake(discordFake("123456", TOKEN));

const channel = (token: string) =>
  discordChannel.parse({
    kind: "discord",
    webhookUrl: `${fake.url}/api/webhooks/123456/${token}`,
    username: "Steward",
  });

it("posts an embed with ?wait=true, no mentions, as Discord documents", async () => {
  const result = await send(channel(TOKEN), MESSAGE, fakeDeps());
  expect(result).toMatchObject({ ok: true, status: 200 });
  expect(fake.problems).toEqual([]);
  const request = fake.requests.at(-1);
  expect(request?.path).toBe(`/api/webhooks/123456/${TOKEN}?wait=true`);
  const body = JSON.parse(request?.body ?? "");
  expect(body).toMatchObject({ username: "Steward", allowed_mentions: { parse: [] } });
  expect(body.embeds[0]).toMatchObject({
    title: MESSAGE.subject,
    color: 0xdc2626,
    url: MESSAGE.url,
  });
  expect(leaked(result, [TOKEN])).toEqual([]);
});

it("fails with Discord's message on a wrong token, the token redacted", async () => {
  const wrong = "tok_0000000000000000000000000000000000";
  const result = await send(channel(wrong), MESSAGE, fakeDeps());
  expectRefused(result, 401, "webhookUrl: the provider answered 401: Invalid Webhook Token", [
    wrong,
  ]);
});
