// The hostile values of backup sources, plans, runs and artifacts (testing/
// hostile-backup-plan-cases.ts) against a panel with a node, a source, a destination and a
// plan: each refused with a 4xx naming the field, no table changed.
import {
  backupDestinationCreate,
  backupPlanCreate,
  backupSourceCreate,
} from "@steward/contracts/backups";
import { describe, expect, it } from "vitest";
import { backupPlanCases } from "../../testing/hostile-backup-plan-cases.ts";
import { hostileWrong } from "../../testing/hostile-run.ts";
import { markTrusted } from "../../testing/trusted-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { insertArtifacts } from "./runs-repo.ts";

// without a worker or an agent, so that nothing but the requests could change a table
describe("hostile input to backup sources and plans", () => {
  const s = useServer("sqlite");
  const w = useWorld(s);

  it("refuses hostile values naming the field and writes nothing", async () => {
    const node = await s.svc.nodes.create(s.cli, {
      name: "hostile-node",
      agentUrl: "https://10.0.0.1:7443",
    });
    await markTrusted(s, node.id);
    const source = await s.svc.backupSources.create(
      s.cli,
      backupSourceCreate.parse({
        name: "files",
        accountId: w.a,
        source: { kind: "files", nodeId: node.id, path: "/srv/www" },
      }),
    );
    const destination = await s.svc.backups.create(
      s.cli,
      backupDestinationCreate.parse({
        name: "disk",
        accountId: w.a,
        settings: { kind: "local", nodeId: node.id, path: "/var/backups" },
        saveAnyway: true,
      }),
    );
    const plan = await s.svc.backupPlans.create(
      s.cli,
      backupPlanCreate.parse({
        name: "p",
        accountId: w.a,
        sourceIds: [source.id],
        destinationIds: [destination.id],
      }),
    );
    const run = (await s.svc.backupPlans.run(s.cli, plan.id)).runs[0];
    const artifact = "bka_hostile";
    await insertArtifacts(s.svc.db.db, [
      {
        id: artifact,
        account_id: w.a,
        run_id: run?.runId ?? "",
        plan_id: plan.id,
        source_id: source.id,
        destination_id: destination.id,
        name: "www.tar.zst",
        bytes: 1,
        sha256: "0".repeat(64),
        source_description: "/srv/www",
        verified: 0,
        created_at: Date.now(),
      },
    ]);
    const cases = backupPlanCases({
      account: w.a,
      node: node.id,
      source: source.id,
      destination: destination.id,
      plan: plan.id,
      artifact,
    });
    expect(await hostileWrong(s, w.keys.super, cases)).toEqual([]);
  }, 120_000);
});
