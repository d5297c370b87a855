// Events for the screenshots: a failed site, its task, its node lost and back, written into
// the panel's SQLite database the way recordEvent writes them.
import { DatabaseSync } from "node:sqlite";

export function seedEvents(
  file: string,
  {
    siteId,
    nodeId,
    accountId,
    domain = "shop.example.com",
  }: { siteId: string; nodeId: string; accountId: string | null; domain?: string },
) {
  const events = new DatabaseSync(file);
  const insertEvent = events.prepare(`insert into events (id, type, severity, outcome, account_id,
  target_type, target_id, target_name, summary, fields, group_key, created_at)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const seeded = [
    [
      "node.unreachable",
      "critical",
      "failure",
      null,
      "node",
      nodeId,
      "web-1",
      "node web-1 is unreachable",
      { nodeId, nodeName: "web-1", lastSeenAt: null, error: "connect ECONNREFUSED 10.0.0.5:7443" },
    ],
    [
      "site.failed",
      "critical",
      "failure",
      accountId,
      "site",
      siteId,
      domain,
      `site ${domain} failed`,
      { siteId, domain, nodeName: "web-1", error: "web-1 does not answer" },
    ],
    [
      "task.failed",
      "critical",
      "failure",
      accountId,
      "site",
      siteId,
      domain,
      `task apply site ${domain} failed`,
      {
        taskId: "tsk_1",
        kind: "site.apply",
        title: `apply site ${domain}`,
        attempts: 5,
        error: "web-1 does not answer",
      },
    ],
    [
      "node.reachable",
      "info",
      "success",
      null,
      "node",
      nodeId,
      "web-1",
      "node web-1 is reachable again",
      { nodeId, nodeName: "web-1", downtimeSeconds: 420 },
    ],
  ] as const;
  seeded.forEach(
    ([type, severity, outcome, accountId, targetType, targetId, name, summary, fields], i) => {
      const at = Date.now() - (seeded.length - i) * 60_000;
      const id = `evt_${at.toString(32).padStart(10, "0")}${String(i).padStart(16, "0")}`;
      insertEvent.run(
        id,
        type,
        severity,
        outcome,
        accountId ?? null,
        targetType,
        targetId,
        name,
        summary,
        JSON.stringify(fields),
        `node:${nodeId}`,
        at,
      );
    },
  );
  events.close();
}
