// Gotify's sender against the recording fake of its create-message endpoint (fakes/gotify.ts).
import { gotifyChannel } from "@steward/contracts/notifications";
import { afterAll, beforeAll, expect, it } from "vitest";
import { gotifyFake } from "./fakes/gotify.ts";
import { type Fake, fakeDeps, leaked, MESSAGE, startFake } from "./fakes/server.ts";
import { send } from "./gotify.ts";

const TOKEN = "AqkdWqbB7r.dH-x";
let fake: Fake;
beforeAll(async () => {
  fake = await startFake(gotifyFake(TOKEN));
});
afterAll(() => fake.close());

const channel = (appToken: string) =>
  gotifyChannel.parse({ kind: "gotify", serverUrl: `${fake.url}/`, appToken });

it("posts /message with X-Gotify-Key and Markdown extras, as Gotify documents", async () => {
  const result = await send(channel(TOKEN), MESSAGE, fakeDeps());
  expect(result).toMatchObject({ ok: true, status: 200 });
  expect(fake.problems).toEqual([]);
  expect(JSON.parse(fake.requests.at(-1)?.body ?? "")).toEqual({
    title: MESSAGE.subject,
    message: MESSAGE.markdown,
    priority: 8,
    extras: {
      "client::display": { contentType: "text/markdown" },
      "client::notification": { click: { url: MESSAGE.url } },
    },
  });
  expect(result.request.headers["x-gotify-key"]).toBe("[redacted]");
  expect(leaked(result, [TOKEN])).toEqual([]);
});

it("fails with Gotify's errorDescription on a wrong token", async () => {
  const result = await send(channel("Wrongtoken12345"), MESSAGE, fakeDeps());
  expect(result).toMatchObject({ ok: false, status: 401 });
  expect(result.error).toBe(
    "serverUrl: the provider answered 401: you need to provide a valid access token or user credentials to access this api",
  );
  expect(leaked(result, ["Wrongtoken12345"])).toEqual([]);
});
