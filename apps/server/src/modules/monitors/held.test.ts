// What a panel holding a monitor keeps when it reloads the row: its own status while it is the
// later one (its writes are batched), the row's once a check now wrote a later check.
import { DEFAULT_POLICY } from "@steward/contracts/net";
import { describe, expect, it } from "vitest";
import { heldOf } from "./held.ts";
import type { MonitorRow } from "./repo.ts";

const row = (o: Partial<MonitorRow>): MonitorRow =>
  ({
    id: "mon_1",
    account_id: "acc_1",
    name: "shop",
    kind: "http",
    settings: JSON.stringify({ kind: "http", url: "https://shop.example.com/" }),
    interval_ms: 60_000,
    timeout_ms: 10_000,
    retries: 0,
    paused: 0,
    maintenance: "[]",
    state: "up",
    state_since: 1_000,
    consecutive_failures: 0,
    flapping: 0,
    transitions: "[]",
    next_due: 61_000,
    last_check_at: 1_000,
    updated_at: 1_000,
    locations: '["panel"]',
    quorum: null,
    ...o,
  }) as MonitorRow;
const probe = { policy: DEFAULT_POLICY };

describe("a held monitor reloaded", () => {
  it("keeps its own status while it holds the later check, takes the row's after a check now", () => {
    const first = heldOf(row({}), probe, null);
    expect([first.status.state, first.checkedAt]).toEqual(["up", 1_000]);
    // this panel checked at 5,000 (not yet written); the row still says 1,000
    const mine = {
      ...first,
      checkedAt: 5_000,
      status: { ...first.status, state: "degraded" as const },
    };
    expect(heldOf(row({ updated_at: 2_000 }), probe, null, mine).status.state).toBe("degraded");
    // a check now wrote a later check (down) into the row
    const after = heldOf(
      row({ state: "down", consecutive_failures: 1, last_check_at: 6_000, updated_at: 6_000 }),
      probe,
      null,
      mine,
    );
    expect([after.status.state, after.status.consecutiveFailures, after.checkedAt]).toEqual([
      "down",
      1,
      6_000,
    ]);
  });
});
