// ntfy's sender against the recording fake of its JSON publish endpoint (fakes/ntfy.ts).
import { ntfyChannel } from "@steward/contracts/notifications";
import { expect, it } from "vitest";
import { ntfyFake } from "./fakes/ntfy.ts";
import { fakeDeps, leaked, MESSAGE } from "./fakes/server.ts";
import { expectRefused, useFake } from "./fakes/use-fake.ts";
import { send } from "./ntfy.ts";

const TOKEN = "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2";
const fake = useFake(ntfyFake("steward-alerts", TOKEN));

const channel = (token: string) =>
  ntfyChannel.parse({ kind: "ntfy", serverUrl: fake.url, topic: "steward-alerts", token });

it("publishes JSON to the root URL with a Bearer token, as ntfy documents", async () => {
  const result = await send(channel(TOKEN), MESSAGE, fakeDeps());
  expect(result).toMatchObject({ ok: true, status: 200 });
  expect(fake.problems).toEqual([]);
  const request = fake.requests.at(-1);
  expect(JSON.parse(request?.body ?? "")).toEqual({
    topic: "steward-alerts",
    title: MESSAGE.subject,
    message: MESSAGE.markdown,
    markdown: true,
    priority: 5,
    tags: ["rotating_light"],
    click: MESSAGE.url,
  });
  expect(result.request.headers.authorization).toBe("Bearer [redacted]");
  expect(leaked(result, [TOKEN])).toEqual([]);
});

it("fails with ntfy's error on a wrong token", async () => {
  const wrong = "tk_0000000000000000000000000000";
  const result = await send(channel(wrong), MESSAGE, fakeDeps());
  expectRefused(result, 403, "serverUrl: the provider answered 403: forbidden", [wrong]);
});
