// The dashboard's backups at a glance, and what a plan answers of its runs (issue 15): each
// actor sees the plans, failures and sizes of the accounts it reads, nothing of another's; a
// plan's last run, last success and the bytes it keeps (deleted artifacts left out); failures
// are the failed and partial runs of the last 24 hours.
import type { Dashboard } from "@steward/contracts";
import type { BackupPlan } from "@steward/contracts/backups";
import { dialects } from "@steward/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../lib/ids.ts";
import { ACTORS, type ActorName } from "../../testing/fixtures.ts";
import { useTaskWorld } from "../../testing/task-world.ts";
import { insertPlan } from "../backups/plans-repo.ts";
import { insertArtifacts, insertRun } from "../backups/runs-repo.ts";

const HOUR = 3600_000;

describe.each(dialects())("backups on the dashboard on %s", (dialect) => {
  const { s, w } = useTaskWorld(dialect);
  const planIds: Record<string, string> = {};
  const runIds: Record<string, string> = {};
  const now = Date.now();

  beforeAll(async () => {
    const db = s.svc.db.db;
    const plan = async (name: string, accountId: string) => {
      const id = newId("bkp");
      planIds[name] = id;
      await insertPlan(db, {
        id,
        account_id: accountId,
        name,
        source_ids: JSON.stringify(["bks_x"]),
        destination_ids: JSON.stringify(["bkd_x"]),
        schedule: null,
        time_zone: "UTC",
        compression_level: 3,
        encryption: "none",
        recipients: "[]",
        private_key_sealed: null,
        retention: JSON.stringify({ keepLast: 7 }),
        concurrency: 1,
        enabled: 1,
        schedule_task_id: null,
        created_at: now,
        updated_at: now,
      });
    };
    await plan("nightly", w.a);
    await plan("weekly", w.a);
    await plan("other", w.b);
    // runs made at their time (a run's id carries it): older first
    const run = async (name: string, planName: string, status: string, agoHours: number) => {
      const at = now - agoHours * HOUR;
      const id = newId("bkr", at);
      runIds[name] = id;
      const accountId = planName === "other" ? w.b : w.a;
      await insertRun(db, {
        id,
        account_id: accountId,
        plan_id: planIds[planName] ?? "",
        source_id: "bks_x",
        description: "/srv/www",
        node_id: null,
        status: status as "succeeded",
        artifact: `www-${id}.tar.zst`,
        source_bytes: 10,
        bytes: 5,
        outcomes: "[]",
        error: status === "succeeded" ? null : `${name} <went wrong>`,
        task_id: null,
        started_at: at,
        finished_at: at,
        created_at: at,
      });
      return { id, at, accountId };
    };
    const old = await run("oldFailure", "nightly", "failed", 50);
    const good = await run("success", "nightly", "succeeded", 30);
    await run("partialA", "nightly", "partial", 3);
    await run("failedA", "nightly", "failed", 2);
    await run("failedB", "other", "failed", 1);
    const artifact = (runRow: typeof good, bytes: number, deleted: boolean) => ({
      id: newId("bka", runRow.at),
      account_id: runRow.accountId,
      run_id: runRow.id,
      plan_id: planIds.nightly ?? "",
      source_id: "bks_x",
      destination_id: "bkd_x",
      name: `www-${runRow.id}.tar.zst`,
      bytes,
      sha256: "0".repeat(64),
      source_description: "/srv/www",
      verified: 0,
      verified_at: null,
      deleted_at: deleted ? now : null,
      created_at: runRow.at,
    });
    await insertArtifacts(db, [artifact(good, 700, false), artifact(old, 5000, true)]);
  });

  const dashboardOf = async (who: ActorName) => {
    const res = await s.request("GET", "/api/v1/dashboard", { key: w.keys[who] });
    expect([who, res.status]).toEqual([who, 200]);
    return (res.body as Dashboard).backups;
  };

  it("shows each actor the plans and failures of the accounts it reads", async () => {
    const seen: Record<string, unknown> = {};
    for (const who of ACTORS) {
      const b = await dashboardOf(who);
      seen[who] = [b.plans.map((p) => p.name), b.failures, b.failedRuns.map((r) => r.error)];
    }
    const inA = [["nightly", "weekly"], 2, ["failedA <went wrong>", "partialA <went wrong>"]];
    expect(seen).toEqual({
      super: [
        ["nightly", "other", "weekly"],
        3,
        ["failedB <went wrong>", "failedA <went wrong>", "partialA <went wrong>"],
      ],
      accountAdmin: inA,
      operator: inA,
      reader: inA,
      noGrant: [[], 0, []],
      otherAdmin: [["other"], 1, ["failedB <went wrong>"]],
      narrowKey: [
        ["nightly", "other", "weekly"],
        3,
        ["failedB <went wrong>", "failedA <went wrong>", "partialA <went wrong>"],
      ],
    });
  });

  it("answers a plan's last run, last success and the bytes it keeps, in lists and alone", async () => {
    const b = await dashboardOf("reader");
    const nightly = b.plans.find((p) => p.name === "nightly") as BackupPlan;
    expect(nightly.activity).toEqual({
      lastRun: {
        id: runIds.failedA,
        status: "failed",
        finishedAt: new Date(now - 2 * HOUR).toISOString(),
      },
      lastSuccessAt: new Date(now - 30 * HOUR).toISOString(),
      // the deleted artifact is not kept
      storedBytes: 700,
    });
    expect(b.plans.find((p) => p.name === "weekly")?.activity).toEqual({
      lastRun: null,
      lastSuccessAt: null,
      storedBytes: 0,
    });
    const one = await s.request("GET", `/api/v1/backup-plans/${planIds.nightly}`, {
      key: w.keys.reader,
    });
    expect(one.body.activity).toEqual(nightly.activity);
    const list = await s.request("GET", "/api/v1/backup-plans?sort=name", { key: w.keys.reader });
    expect(list.body.items.map((p: BackupPlan) => p.activity)).toEqual(
      b.plans.map((p) => p.activity),
    );
  });
});
