// The probe dependencies a monitor's checks get: one object per scope (an installation's
// monitors, accounts'), shared by every monitor of it rather than one each (the scheduler
// holds one per monitor), each with its scope's outbound policy.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, openSqlite } from "../../db/open.ts";
import { createMonitorsService } from "./service.ts";

describe("monitors' probe dependencies", () => {
  let dir: string;
  let db: Db;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "steward-probe-deps-"));
    db = openSqlite(join(dir, "t.db"));
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shares one per scope, each with its scope's policy", () => {
    const svc = createMonitorsService({
      db,
      settings: {
        listen: "127.0.0.1",
        port: 8080,
        publicUrl: "http://localhost:8080",
        outboundAllow: ["10.1.0.0/16"],
        outboundDeny: [],
      },
    });
    const account = svc.probeDeps("acc_a");
    expect(svc.probeDeps("acc_b")).toBe(account);
    expect(account.policy.allowPrivate).toBe(false);
    const installation = svc.probeDeps(null);
    expect(svc.probeDeps(null)).toBe(installation);
    expect(installation).not.toBe(account);
    expect(installation.policy.allowPrivate).toBe(true);
    expect(installation.policy.allow).toEqual(["10.1.0.0/16"]);
  });
});
