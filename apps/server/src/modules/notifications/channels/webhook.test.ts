// The generic webhook against a receiver that verifies it as docs/notifications.md says
// (fakes/webhook.ts): the HMAC of the raw body, the timestamp, the custom headers.
import { webhookChannel } from "@steward/contracts/notifications";
import { expect, it } from "vitest";
import { fakeDeps, leaked, MESSAGE } from "./fakes/server.ts";
import { useFake } from "./fakes/use-fake.ts";
import { webhookFake } from "./fakes/webhook.ts";
import { send, signature } from "./webhook.ts";

const SECRET = "whsec_0123456789abcdef";
const fake = useFake(webhookFake(SECRET));

const channel = (secret: string) =>
  webhookChannel.parse({
    kind: "webhook",
    url: `${fake.url}/hooks/steward?source=panel`,
    secret,
    headers: { Authorization: "Bearer receiver-token-123" },
  });

it("posts the message signed with HMAC-SHA256 of the raw body and a timestamp", async () => {
  const result = await send(channel(SECRET), MESSAGE, fakeDeps());
  expect(result).toMatchObject({ ok: true, status: 204 });
  expect(fake.problems).toEqual([]);
  const request = fake.requests.at(-1);
  expect(request?.path).toBe("/hooks/steward?source=panel");
  expect(request?.headers.authorization).toBe("Bearer receiver-token-123");
  expect(request?.headers["x-steward-signature"]).toBe(signature(SECRET, request?.body ?? ""));
  expect(JSON.parse(request?.body ?? "")).toMatchObject({
    ...MESSAGE,
    timestamp: expect.any(Number),
  });
  expect(result.request.headers.Authorization).toBe("[redacted]");
  expect(leaked(result, [SECRET, "receiver-token-123"])).toEqual([]);
});

it("is refused by the receiver when signed with another secret or replayed late", async () => {
  const wrong = await send(channel("another-secret-0000"), MESSAGE, fakeDeps());
  expect(wrong).toMatchObject({
    ok: false,
    status: 401,
    error: "url: the provider answered 401: bad signature",
  });
  const old = await send(channel(SECRET), MESSAGE, fakeDeps({ now: () => Date.now() - 600_000 }));
  expect(old).toMatchObject({
    ok: false,
    status: 401,
    error: "url: the provider answered 401: stale or replayed",
  });
});
