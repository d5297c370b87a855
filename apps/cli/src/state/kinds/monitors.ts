// Monitors: `monitor/<account>--<name>.yaml` (an installation monitor's `monitor/<name>.yaml`)
// with what they check and from where (`panel` and node names). A site's own monitor is one
// of them: a site made by apply brings its monitor, which its file then updates. A heartbeat
// monitor made by apply gets a new address (its token is the panel's, never a file's); a cron
// job's is its crontab file's `heartbeat`, an app's site's is its app file's `domain`.
import { type MonitorFile, monitorName } from "@steward/contracts/state";
import type { Api } from "../api.ts";
import { addLabelled, idOf, type KindOps, nameOf, type Reference, type Refs } from "../kind.ts";
import { madeWith } from "./made-with.ts";

type Monitor = Omit<MonitorFile, "account" | "quorum"> & {
  id: string;
  siteId: string | null;
  accountId: string | null;
  quorum: number;
};

const PANEL = "panel";

/** What the API takes of a file: locations as ids. */
function body(refs: Refs, f: MonitorFile) {
  return {
    name: f.name,
    settings: f.settings,
    intervalSeconds: f.intervalSeconds,
    timeoutSeconds: f.timeoutSeconds,
    retries: f.retries,
    paused: f.paused,
    maintenance: f.maintenance,
    locations: f.locations.map((l, i) =>
      l === PANEL ? l : idOf(refs.nodes, `locations.${i}`, l, "node"),
    ),
    quorum: f.quorum,
  };
}

export const monitors: KindOps<"monitor"> = {
  kind: "monitor",
  fixed: ["account"],
  refers: (f) => {
    const out: Reference[] = [];
    if (f.account !== null) out.push({ field: "account", to: "account", name: f.account });
    f.locations.forEach((l, i) => {
      if (l !== PANEL) out.push({ field: `locations.${i}`, to: "node", name: l });
    });
    return out;
  },
  async read(api: Api, refs: Refs) {
    const out = new Map<string, { id: string; file: MonitorFile }>();
    const made = await madeWith(api, refs);
    for (const m of await api.all<Monitor>("/api/v1/monitors")) {
      if (made.monitor(m)) continue; // a crontab's or an app's
      const file: MonitorFile = {
        name: m.name,
        account: m.accountId === null ? null : nameOf(refs.accounts, m.accountId),
        settings: m.settings,
        intervalSeconds: m.intervalSeconds,
        timeoutSeconds: m.timeoutSeconds,
        retries: m.retries,
        paused: m.paused,
        maintenance: m.maintenance,
        locations: m.locations.map((l) => (l === PANEL ? l : nameOf(refs.nodes, l))),
        quorum: m.quorum,
      };
      addLabelled(out, "monitor", monitorName(file), { id: m.id, file });
    }
    return out;
  },
  async create(api, refs, file) {
    // a site made just before by this apply brought its own monitor: that one takes the file
    const made = (await monitors.read(api, refs)).get(monitorName(file));
    if (made) return monitors.update?.(api, refs, made, file);
    await api.send("POST", "/api/v1/monitors", {
      ...body(refs, file),
      ...(file.account === null
        ? { installation: true }
        : { account: idOf(refs.accounts, "account", file.account, "account") }),
    });
  },
  async update(api, refs, current, file) {
    await api.send("PATCH", `/api/v1/monitors/${current.id}`, body(refs, file));
  },
  async remove(api, current) {
    await api.send("DELETE", `/api/v1/monitors/${current.id}`);
  },
};
