import { describe, expect, it } from "vitest";
import { KeyedLock, LockWaitAborted, lockKey } from "./lock.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("KeyedLock", () => {
  it("runs work on the same key one at a time, other keys alongside", async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const job = (key: string | undefined, name: string, ms: number) =>
      lock.run(key, async () => {
        events.push(`start ${name}`);
        await sleep(ms);
        events.push(`end ${name}`);
      });
    await Promise.all([
      job("a", "a1", 40),
      job("a", "a2", 1),
      job("b", "b1", 5),
      job(undefined, "x", 1),
    ]);
    expect(events.indexOf("end a1")).toBeLessThan(events.indexOf("start a2"));
    expect(events.indexOf("start b1")).toBeLessThan(events.indexOf("end a1"));
    expect(events.indexOf("start x")).toBeLessThan(events.indexOf("end a1"));
  });

  it("a failure releases the key", async () => {
    const lock = new KeyedLock();
    await expect(lock.run("k", async () => Promise.reject(new Error("boom")))).rejects.toThrow(
      "boom",
    );
    expect(await lock.run("k", async () => 1)).toBe(1);
  });

  it("a waiter that is aborted leaves the queue; the next one gets the key", async () => {
    const lock = new KeyedLock();
    const first = await lock.acquire("k");
    const ac = new AbortController();
    const gone = lock.acquire("k", ac.signal);
    const next = lock.acquire("k");
    ac.abort();
    await expect(gone).rejects.toBeInstanceOf(LockWaitAborted);
    first();
    first(); // a second release changes nothing
    const release = await next;
    expect(lock.held("k")).toBe(true);
    release();
    expect(lock.held("k")).toBe(false);
  });

  it("takes several keys in sorted order and gives back the ones taken when aborted", async () => {
    const lock = new KeyedLock();
    const b = await lock.acquire("b");
    const ac = new AbortController();
    const all = lock.acquireAll(["b", "a"], ac.signal);
    await sleep(1);
    expect(lock.held("a")).toBe(true); // "a" first, then waiting for "b"
    ac.abort();
    await expect(all).rejects.toBeInstanceOf(LockWaitAborted);
    expect(lock.held("a")).toBe(false);
    b();
    const both = await lock.acquireAll(["b", "a", "b"]);
    expect([lock.held("a"), lock.held("b")]).toEqual([true, true]);
    both();
    expect([lock.held("a"), lock.held("b")]).toEqual([false, false]);
  });

  it("keys by the input's id", () => {
    expect(lockKey({ id: "site_1", x: 1 })).toBe("site_1");
    expect(lockKey({ message: "hi" })).toBeUndefined();
    expect(lockKey(null)).toBeUndefined();
  });
});
