// The handler registry: contract operation name -> handler. An operation in the contracts
// without a handler here answers 404 (this agent cannot do it yet).
import type { OperationName } from "@steward/contracts/agent";
import { backupDestinationTest } from "./backups/destination-test-op.ts";
import { backupDestinationDelete, backupDestinationList } from "./backups/explorer-op.ts";
import { backupRestore, backupVerify } from "./backups/handlers.ts";
import { backupRun } from "./backups/run-op.ts";
import { certChallenge, certInstall, certRequest } from "./certs/index.ts";
import {
  composeAction,
  composeDown,
  composeUp,
  containerAction,
  containerDeploy,
  containerList,
  containerLogs,
  containerStats,
  engineDiskUsage,
  enginePrune,
} from "./containers/index.ts";
import { databaseApply } from "./databases/handler.ts";
import { databaseQuery } from "./databases/query-op.ts";
import { dnsZoneApply, dnsZoneRemove, dnsZoneSecondary } from "./dns/index.ts";
import type { RunnableOp } from "./framework.ts";
import { monitorCheck } from "./monitors/check.ts";
import { siteApply, siteRemove } from "./sites/index.ts";
import { ping } from "./system/ping.ts";
import { tunnelIngress } from "./tunnels/op.ts";
import type { OpHandler } from "./types.ts";

const handlers: { [N in OperationName]?: OpHandler<N> } = {
  "system.ping": ping,
  "site.apply": siteApply,
  "site.remove": siteRemove,
  "cert.request": certRequest,
  "cert.challenge": certChallenge,
  "cert.install": certInstall,
  "dns.zone.apply": dnsZoneApply,
  "dns.zone.secondary": dnsZoneSecondary,
  "dns.zone.remove": dnsZoneRemove,
  "monitor.check": monitorCheck,
  "database.apply": databaseApply,
  "backup.restore": backupRestore,
  "backup.verify": backupVerify,
  "database.query": databaseQuery,
  "backup.destination.test": backupDestinationTest,
  "backup.run": backupRun,
  "container.deploy": containerDeploy,
  "container.action": containerAction,
  "compose.up": composeUp,
  "compose.down": composeDown,
  "compose.action": composeAction,
  "container.list": containerList,
  "container.logs": containerLogs,
  "container.stats": containerStats,
  "engine.disk-usage": engineDiskUsage,
  "engine.prune": enginePrune,
  "backup.destination.list": backupDestinationList,
  "backup.destination.delete": backupDestinationDelete,
  "tunnel.ingress": tunnelIngress,
};

export function handlerFor(name: OperationName): RunnableOp | undefined {
  return handlers[name] as RunnableOp | undefined;
}

/** The operations this agent can run (reported in its facts/health for the panel). */
export const supportedOperations = () => Object.keys(handlers) as OperationName[];
