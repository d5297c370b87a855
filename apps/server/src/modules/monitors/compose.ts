// The monitors' service and this process's scheduler, made together: the service tells the
// scheduler of its changes, and both judge a monitor's checks by the same outbound policy.
import type { Logger } from "pino";
import type { Settings } from "../../config/schema.ts";
import type { Db } from "../../db/open.ts";
import { panelAddresses } from "../../lib/outbound.ts";
import { agentSender, createNodeChecks } from "./remote.ts";
import { createMonitorScheduler } from "./scheduler.ts";
import { createMonitorsService } from "./service.ts";

export function composeMonitors(o: {
  db: Db;
  settings: Settings;
  log: Logger;
  publicUrl: string;
  /** the agent client's runOperation (the engine's part: loaded when a node first checks) */
  runOperation?: Parameters<typeof agentSender>[0]["runOperation"];
}) {
  let poke = async (_ids?: readonly string[]) => {};
  const consoleUrl = (id: string) => `${o.publicUrl.replace(/\/$/, "")}/monitors/${id}`;
  const service = createMonitorsService({
    db: o.db,
    settings: o.settings,
    changed: (id) => poke([id]),
    probe: { localAddresses: panelAddresses() },
    consoleUrl,
  });
  const scheduler = createMonitorScheduler({
    db: o.db,
    log: o.log,
    probeDeps: service.probeDeps,
    consoleUrl,
    nodeChecks: o.runOperation
      ? createNodeChecks({
          send: agentSender({ db: o.db, settings: o.settings, runOperation: o.runOperation }),
          log: o.log,
        })
      : undefined,
  });
  poke = scheduler.poke;
  return { service, scheduler };
}
