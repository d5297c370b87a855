// Matrix's sender against the recording fake of a homeserver's send-event endpoint (fakes/matrix.ts).
import { matrixChannel } from "@steward/contracts/notifications";
import { expect, it } from "vitest";
import { matrixFake } from "./fakes/matrix.ts";
import { fakeDeps, leaked, MESSAGE } from "./fakes/server.ts";
import { useFake } from "./fakes/use-fake.ts";
import { send } from "./matrix.ts";

const TOKEN = "syt_c3Rld2FyZA_AbCdEfGhIjKlMnOpQrSt_1a2B3c";
const ROOM = "!ops:example.org";
const fake = useFake(matrixFake(TOKEN, ROOM));

const channel = (accessToken: string, roomId = ROOM) =>
  matrixChannel.parse({ kind: "matrix", homeserverUrl: fake.url, accessToken, roomId });

it("PUTs an m.text event with a new transaction id each time, as the spec documents", async () => {
  const first = await send(channel(TOKEN), MESSAGE, fakeDeps());
  const second = await send(channel(TOKEN), MESSAGE, fakeDeps());
  expect([first.ok, second.ok, first.status]).toEqual([true, true, 200]);
  expect(first.response).toContain("event_id");
  expect(fake.problems).toEqual([]);
  const request = fake.requests.at(-1);
  expect(request?.path).toMatch(
    /^\/_matrix\/client\/v3\/rooms\/!ops%3Aexample\.org\/send\/m\.room\.message\//,
  );
  expect(JSON.parse(request?.body ?? "")).toEqual({
    msgtype: "m.text",
    body: `${MESSAGE.subject}\n\n${MESSAGE.text}\n\n${MESSAGE.url}`,
  });
  expect(first.request.headers.authorization).toBe("Bearer [redacted]");
  expect(leaked(first, [TOKEN])).toEqual([]);
});

it("fails with the homeserver's errcode and error", async () => {
  const room = await send(channel(TOKEN, "!other:example.org"), MESSAGE, fakeDeps());
  expect(room).toMatchObject({ ok: false, status: 403 });
  expect(room.error).toBe(
    "homeserverUrl: the provider answered 403: M_FORBIDDEN: User @steward:example.org not in room !other:example.org",
  );
  const token = await send(channel("syt_wrong_token_value"), MESSAGE, fakeDeps());
  expect(token.error).toBe(
    "homeserverUrl: the provider answered 401: M_UNKNOWN_TOKEN: Invalid access token passed.",
  );
  expect(leaked(token, ["syt_wrong_token_value"])).toEqual([]);
});
