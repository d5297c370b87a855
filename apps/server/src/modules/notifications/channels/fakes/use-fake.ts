// A test file's fake provider: started before its tests, closed after them.
import type { SendResult } from "@steward/contracts/notifications";
import { afterAll, beforeAll, expect } from "vitest";
import { type Fake, type Handler, leaked, startFake } from "./server.ts";

export function useFake(handler: Handler): Fake {
  const fake: Fake = { url: "", requests: [], problems: [], close: async () => {} };
  beforeAll(async () => {
    Object.assign(fake, await startFake(handler));
  });
  afterAll(() => fake.close());
  return fake;
}

/** A failed send: the provider's status, the error in words, and none of `secrets` shown. */
export function expectRefused(
  result: SendResult,
  status: number,
  error: string,
  secrets: readonly string[],
): void {
  expect(result).toMatchObject({ ok: false, status, error });
  expect(leaked(result, secrets)).toEqual([]);
}
