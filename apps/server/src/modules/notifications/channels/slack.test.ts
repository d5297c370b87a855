// Slack's sender against the recording fake of its incoming webhook (fakes/slack.ts).
import { slackChannel } from "@steward/contracts/notifications";
import { expect, it } from "vitest";
import { fakeDeps, leaked, MESSAGE } from "./fakes/server.ts";
import { slackFake } from "./fakes/slack.ts";
import { expectRefused, useFake } from "./fakes/use-fake.ts";
import { send } from "./slack.ts";

const PATH = "/services/T0001/B0001/abcdefghijklmnopqrstuvwx";
const fake = useFake(slackFake(PATH));

it("posts text and Block Kit blocks to the webhook, as Slack documents", async () => {
  const settings = slackChannel.parse({ kind: "slack", webhookUrl: `${fake.url}${PATH}` });
  const result = await send(settings, MESSAGE, fakeDeps());
  expect(result).toMatchObject({ ok: true, status: 200, response: "ok" });
  expect(fake.problems).toEqual([]);
  const body = JSON.parse(fake.requests.at(-1)?.body ?? "");
  expect(body.text).toContain(MESSAGE.subject);
  expect(body.blocks.at(-1).elements[0].url).toBe(MESSAGE.url);
  expect(result.request.url).toBe(`${fake.url}/[redacted]`);
  expect(leaked(result, [PATH.slice(1)])).toEqual([]);
});

it("fails with Slack's reason on a revoked webhook, its path redacted", async () => {
  const wrong = "/services/T0001/B0001/zzzzzzzzzzzzzzzzzzzzzzzz";
  const settings = slackChannel.parse({ kind: "slack", webhookUrl: `${fake.url}${wrong}` });
  const result = await send(settings, MESSAGE, fakeDeps());
  expectRefused(result, 403, "webhookUrl: the provider answered 403: invalid_token", [
    wrong.slice(1),
  ]);
});
