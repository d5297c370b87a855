// Pushover's sender against the recording fake of its message API (fakes/pushover.ts), reached
// through the test-only apiBase (Pushover has one fixed public API).
import { pushoverChannel } from "@steward/contracts/notifications";
import { expect, it } from "vitest";
import { pushoverFake } from "./fakes/pushover.ts";
import { fakeDeps, leaked, MESSAGE } from "./fakes/server.ts";
import { expectRefused, useFake } from "./fakes/use-fake.ts";
import { send } from "./pushover.ts";

const APP = "azGDORePK8gMaC0QOYAMyEEuzJnyUi";
const USER = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG";
const fake = useFake(pushoverFake(APP, USER));

const channel = (appToken: string) =>
  pushoverChannel.parse({ kind: "pushover", appToken, userKey: USER, device: "phone" });

it("posts a form to /1/messages.json, as Pushover documents", async () => {
  const result = await send(channel(APP), MESSAGE, fakeDeps({ apiBase: fake.url }));
  expect(result).toMatchObject({ ok: true, status: 200 });
  expect(fake.problems).toEqual([]);
  const form = Object.fromEntries(new URLSearchParams(fake.requests.at(-1)?.body));
  expect(form).toEqual({
    token: APP,
    user: USER,
    title: MESSAGE.subject,
    message: MESSAGE.text,
    priority: "1",
    device: "phone",
    url: MESSAGE.url,
  });
  expect(leaked(result, [APP, USER])).toEqual([]);
});

it("fails with Pushover's errors on a wrong application token", async () => {
  const wrong = "a00000000000000000000000000000";
  const result = await send(channel(wrong), MESSAGE, fakeDeps({ apiBase: fake.url }));
  expectRefused(result, 400, "appToken: the provider answered 400: application token is invalid", [
    wrong,
    USER,
  ]);
});
