// The handler registry: contract operation name -> its handler, each module loaded with the
// first operation that needs it (an idle agent keeps none of them in memory: bench:agent). An
// operation in the contracts without a handler here answers 404 (this agent cannot do it yet).
import type { OperationName } from "@steward/contracts/agent";
import type { RunnableOp } from "./framework.ts";
import type { OpHandler } from "./types.ts";

const handlers: { [N in OperationName]?: () => Promise<OpHandler<N>> } = {
  "system.ping": async () => (await import("./system/ping.ts")).ping,
  "site.apply": async () => (await import("./sites/index.ts")).siteApply,
  "site.remove": async () => (await import("./sites/index.ts")).siteRemove,
  "site.migrate-layout": async () => (await import("./sites/index.ts")).siteMigrate,
  "cert.request": async () => (await import("./certs/index.ts")).certRequest,
  "cert.challenge": async () => (await import("./certs/index.ts")).certChallenge,
  "cert.install": async () => (await import("./certs/index.ts")).certInstall,
  "dns.zone.apply": async () => (await import("./dns/index.ts")).dnsZoneApply,
  "dns.zone.secondary": async () => (await import("./dns/index.ts")).dnsZoneSecondary,
  "dns.zone.remove": async () => (await import("./dns/index.ts")).dnsZoneRemove,
  "monitor.check": async () => (await import("./monitors/check.ts")).monitorCheck,
  "database.apply": async () => (await import("./databases/handler.ts")).databaseApply,
  "backup.restore": async () => (await import("./backups/handlers.ts")).backupRestore,
  "backup.verify": async () => (await import("./backups/handlers.ts")).backupVerify,
  "database.query": async () => (await import("./databases/query-op.ts")).databaseQuery,
  "backup.destination.test": async () =>
    (await import("./backups/destination-test-op.ts")).backupDestinationTest,
  "backup.run": async () => (await import("./backups/run-op.ts")).backupRun,
  "container.deploy": async () => (await import("./containers/index.ts")).containerDeploy,
  "container.action": async () => (await import("./containers/index.ts")).containerAction,
  "compose.up": async () => (await import("./containers/index.ts")).composeUp,
  "compose.down": async () => (await import("./containers/index.ts")).composeDown,
  "compose.action": async () => (await import("./containers/index.ts")).composeAction,
  "container.list": async () => (await import("./containers/index.ts")).containerList,
  "container.logs": async () => (await import("./containers/index.ts")).containerLogs,
  "container.stats": async () => (await import("./containers/index.ts")).containerStats,
  "engine.disk-usage": async () => (await import("./containers/index.ts")).engineDiskUsage,
  "engine.prune": async () => (await import("./containers/index.ts")).enginePrune,
  "backup.destination.list": async () =>
    (await import("./backups/explorer-op.ts")).backupDestinationList,
  "backup.destination.delete": async () =>
    (await import("./backups/explorer-op.ts")).backupDestinationDelete,
  "tunnel.ingress": async () => (await import("./tunnels/op.ts")).tunnelIngress,
  "container.build": async () => (await import("./containers/index.ts")).containerBuild,
  "compose.build": async () => (await import("./containers/index.ts")).composeBuild,
  "container.retire": async () => (await import("./containers/index.ts")).containerRetire,
  "sysusers.apply": async () => (await import("./sysusers/apply.ts")).sysUsersApply,
  "agent.upgrade": async () => (await import("../upgrade/op.ts")).agentUpgrade,
  "mail.apply": async () => (await import("./mail/apply.ts")).mailApply,
  "mail.dkim": async () => (await import("./mail/dkim.ts")).mailDkim,
  "mail.usage": async () => (await import("./mail/usage.ts")).mailUsage,
  "mail.junk.expunge": async () => (await import("./mail/junk.ts")).mailJunkExpunge,
  "cron.apply": async () => (await import("./cron/apply.ts")).cronApply,
  "cron.run": async () => (await import("./cron/run.ts")).cronRun,
  "cron.collect": async () => (await import("./cron/collect.ts")).cronCollect,
  "ftp.tls": async () => (await import("./sysusers/ftp-tls.ts")).ftpTls,
  "sysusers.usage": async () => (await import("./sysusers/usage.ts")).sysUsersUsage,
  "firewall.apply": async () => (await import("./firewall/index.ts")).firewallApply,
  "firewall.confirm": async () => (await import("./firewall/index.ts")).firewallConfirm,
  "firewall.read": async () => (await import("./firewall/index.ts")).firewallRead,
  "firewall.unblock": async () => (await import("./firewall/index.ts")).firewallUnblock,
};

export async function handlerFor(name: OperationName): Promise<RunnableOp | undefined> {
  const load = handlers[name] as (() => Promise<RunnableOp>) | undefined;
  return load?.();
}
