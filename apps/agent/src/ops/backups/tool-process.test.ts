// A tool fed with backpressure (intoTool): each wait for the pipe to drain leaves no listener
// behind on the tool's stdin (a restore of many megabytes waited thousands of times, and the
// listeners of every wait stayed: MaxListenersExceededWarning, 11 on one socket).
import { spawn } from "node:child_process";
import type { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { intoTool } from "./tool-process.ts";

describe("feeding a tool", () => {
  it("waits for drain many times without adding listeners to its stdin", async () => {
    const warnings: Error[] = [];
    const warned = (w: Error) => warnings.push(w);
    process.on("warning", warned);
    // a slow reader: the pipe fills, so nearly every write waits for drain
    const child = spawn("cat", [], { stdio: ["pipe", "ignore", "ignore"] });
    const stdin = child.stdin as Writable;
    const before = Math.max(stdin.listenerCount("close"), stdin.listenerCount("error"));
    let waits = 0;
    stdin.on("drain", () => waits++);
    let during = 0;
    async function* chunks() {
      for (let i = 0; i < 64; i++) {
        // between two writes: after a wait for drain, once that wait is over
        during = Math.max(during, stdin.listenerCount("close"), stdin.listenerCount("error"));
        yield Buffer.alloc(256 * 1024, i);
      }
    }
    try {
      await intoTool(child, chunks(), { tool: "cat", accepted: [0] });
    } finally {
      process.off("warning", warned);
    }
    expect(waits).toBeGreaterThan(11);
    // feed's own two (error, close) and at most one wait's
    expect(during - before).toBeLessThanOrEqual(2);
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
  });
});
