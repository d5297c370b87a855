// Gotify's sender against the recording fake of its create-message endpoint (fakes/gotify.ts).
import { gotifyChannel } from "@steward/contracts/notifications";
import { expect, it } from "vitest";
import { gotifyFake } from "./fakes/gotify.ts";
import { fakeDeps, leaked, MESSAGE } from "./fakes/server.ts";
import { expectRefused, useFake } from "./fakes/use-fake.ts";
import { send } from "./gotify.ts";

const TOKEN = "AqkdWqbB7r.dH-x";
const fake = useFake(gotifyFake(TOKEN));

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
  expectRefused(
    result,
    401,
    "serverUrl: the provider answered 401: you need to provide a valid access token or user credentials to access this api",
    ["Wrongtoken12345"],
  );
});
