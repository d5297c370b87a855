// sharedWhileRunning: callers of one key arriving while its call is on its way share it; a
// later caller, another key or a call after a failure runs again.
import { describe, expect, it } from "vitest";
import { sharedWhileRunning } from "./once.ts";

/** A call per key that settles when told, counting how many were made. */
function gated() {
  const calls: string[] = [];
  const gates: ((fail?: boolean) => void)[] = [];
  const run = (key: string) =>
    new Promise<string>((resolve, reject) => {
      calls.push(key);
      gates.push((fail) =>
        fail ? reject(new Error(`${key} failed`)) : resolve(`${key}#${calls.length}`),
      );
    });
  return { calls, gates, run };
}

describe("sharedWhileRunning", () => {
  it("gives callers arriving together one call's answer, per key", async () => {
    const g = gated();
    const read = sharedWhileRunning(g.run);
    const [a, b, other] = [read("node_a"), read("node_a"), read("node_b")];
    expect(g.calls).toEqual(["node_a", "node_b"]);
    for (const open of g.gates) open();
    expect(await Promise.all([a, b, other])).toEqual(["node_a#2", "node_a#2", "node_b#2"]);
    const later = read("node_a");
    expect(g.calls).toEqual(["node_a", "node_b", "node_a"]);
    g.gates[2]?.();
    expect(await later).toBe("node_a#3");
  });

  it("gives every caller the error, then runs again", async () => {
    const g = gated();
    const read = sharedWhileRunning(g.run);
    const [a, b] = [read("node_a"), read("node_a")];
    g.gates[0]?.(true);
    await expect(a).rejects.toThrow("node_a failed");
    await expect(b).rejects.toThrow("node_a failed");
    const again = read("node_a");
    expect(g.calls).toHaveLength(2);
    g.gates[1]?.();
    expect(await again).toBe("node_a#2");
  });
});
