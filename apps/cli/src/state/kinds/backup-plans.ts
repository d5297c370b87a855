// Backup plans: `backup-plan/<account>--<name>.yaml` with their sources and destinations by
// their files' names, schedule and time zone, zstd level, encryption, retention, concurrency,
// whether enabled and the test restores' schedule. A plan changes in place (PATCH) except its
// name, account and encryption mode (the mode says which key opens the artifacts already
// made; a recipients plan may change its keys). A `panel` plan applied to another panel gets
// that panel's own new key pair.
import { type BackupPlanFile, scopedFileName } from "@steward/contracts/state";
import type { Api } from "../api.ts";
import {
  addLabelled,
  asFileFields,
  idOf,
  idsOf,
  type KindOps,
  nameOf,
  namesOf,
  type Refs,
} from "../kind.ts";
import { backupDestinations } from "./backup-destinations.ts";
import { backupSources } from "./backup-sources.ts";

interface Plan {
  id: string;
  accountId: string;
  name: string;
  sourceIds: string[];
  destinationIds: string[];
  schedule: string | null;
  timeZone: string;
  compressionLevel: number;
  encryption: "none" | "recipients" | "panel";
  recipients: string[];
  retention: BackupPlanFile["retention"];
  concurrency: number;
  enabled: boolean;
  verify: BackupPlanFile["verify"];
}

/** The file's fields where the panel names the API's. */
const renames: [RegExp, string][] = [
  [/^accountId$/, "account"],
  [/^sourceIds/, "sources"],
  [/^destinationIds/, "destinations"],
];

/** The plan's settings as the API takes them: ids for its sources' and destinations' names. */
async function bodyOf(api: Api, refs: Refs, f: BackupPlanFile) {
  const [sources, destinations] = await Promise.all([
    idsOf(backupSources, api, refs),
    idsOf(backupDestinations, api, refs),
  ]);
  return {
    sourceIds: f.sources.map((s, i) => idOf(sources, `sources.${i}`, s, "backup source")),
    destinationIds: f.destinations.map((d, i) =>
      idOf(destinations, `destinations.${i}`, d, "backup destination"),
    ),
    schedule: f.schedule,
    timeZone: f.timeZone,
    compressionLevel: f.compressionLevel,
    encryption: f.encryption,
    retention: f.retention,
    concurrency: f.concurrency,
    enabled: f.enabled,
    verify: f.verify,
  };
}

const sortedNames = (ids: string[], names: Map<string, string>) =>
  ids.map((id) => names.get(id) ?? id).sort();

export const backupPlans: KindOps<"backup-plan"> = {
  kind: "backup-plan",
  fixed: ["name", "account", "encryption.mode"],
  refers: (f) => [{ field: "account", to: "account", name: f.account }],
  names: (f) => [
    ...f.sources.map((name, i) => ({
      field: `sources.${i}`,
      kind: "backup-source" as const,
      name,
    })),
    ...f.destinations.map((name, i) => ({
      field: `destinations.${i}`,
      kind: "backup-destination" as const,
      name,
    })),
  ],
  async read(api: Api, refs: Refs) {
    const out = new Map<string, { id: string; file: BackupPlanFile }>();
    const plans = await api.all<Plan>("/api/v1/backup-plans");
    if (plans.length === 0) return out;
    const [sources, destinations] = await Promise.all([
      namesOf(backupSources, api, refs),
      namesOf(backupDestinations, api, refs),
    ]);
    for (const p of plans) {
      const account = nameOf(refs.accounts, p.accountId);
      const file: BackupPlanFile = {
        name: p.name,
        account,
        sources: sortedNames(p.sourceIds, sources),
        destinations: sortedNames(p.destinationIds, destinations),
        schedule: p.schedule,
        timeZone: p.timeZone,
        compressionLevel: p.compressionLevel,
        encryption:
          p.encryption === "recipients"
            ? { mode: "recipients", recipients: p.recipients }
            : { mode: p.encryption },
        retention: p.retention,
        concurrency: p.concurrency,
        enabled: p.enabled,
        verify: p.verify,
      };
      addLabelled(out, "backup-plan", scopedFileName(file), { id: p.id, file });
    }
    return out;
  },
  async create(api, refs, file) {
    const body = {
      name: file.name,
      accountId: idOf(refs.accounts, "account", file.account, "account"),
      ...(await bodyOf(api, refs, file)),
    };
    await asFileFields(renames, () => api.send("POST", "/api/v1/backup-plans", body));
  },
  async update(api, refs, current, file) {
    const body = await bodyOf(api, refs, file);
    await asFileFields(renames, () =>
      api.send("PATCH", `/api/v1/backup-plans/${current.id}`, body),
    );
  },
  async remove(api, current) {
    await api.send("DELETE", `/api/v1/backup-plans/${current.id}`);
  },
};
