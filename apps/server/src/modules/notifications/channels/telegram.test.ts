// Telegram's sender against the recording fake of the Bot API's sendMessage (fakes/telegram.ts).
import { telegramChannel } from "@steward/contracts/notifications";
import { expect, it } from "vitest";
import { fakeDeps, leaked, MESSAGE } from "./fakes/server.ts";
import { telegramFake } from "./fakes/telegram.ts";
import { useFake } from "./fakes/use-fake.ts";
import { send } from "./telegram.ts";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq";
const fake = useFake(telegramFake(TOKEN, "-1001234567890"));

const channel = (botToken: string, chatId: string) =>
  telegramChannel.parse({ kind: "telegram", botToken, chatId, apiUrl: fake.url });

it("sends plain text (no parse mode) to /bot<token>/sendMessage, as Telegram documents", async () => {
  const result = await send(channel(TOKEN, "-1001234567890"), MESSAGE, fakeDeps());
  expect(result).toMatchObject({ ok: true, status: 200 });
  expect(fake.problems).toEqual([]);
  const body = JSON.parse(fake.requests.at(-1)?.body ?? "");
  expect(body).toMatchObject({ chat_id: "-1001234567890", disable_notification: false });
  expect(body.parse_mode).toBeUndefined();
  expect(body.text).toBe(`${MESSAGE.subject}\n\n${MESSAGE.text}\n\n${MESSAGE.url}`);
  expect(result.request.url).toBe(`${fake.url}/bot[redacted]/sendMessage`);
  expect(leaked(result, [TOKEN])).toEqual([]);
});

it("fails with Telegram's description for an unknown chat and a wrong token", async () => {
  const chat = await send(channel(TOKEN, "-42"), MESSAGE, fakeDeps());
  expect(chat).toMatchObject({ ok: false, status: 400 });
  expect(chat.error).toBe("apiUrl: the provider answered 400: Bad Request: chat not found");
  const wrong = "123456789:BBBdqTcvCH1vGWJxfSeofSAs0K5PALDsawq";
  const token = await send(channel(wrong, "-42"), MESSAGE, fakeDeps());
  expect(token).toMatchObject({
    ok: false,
    status: 401,
    error: "apiUrl: the provider answered 401: Unauthorized",
  });
  expect(leaked([chat, token], [TOKEN, wrong])).toEqual([]);
});
