// Backup destinations: `backup-destination/<account>--<name>.yaml` (a shared destination's
// `backup-destination/<name>.yaml`). A node's directory names its node by name; each secret
// field that is set is the secret a new destination takes from `--secrets FILE`
// (`backup-destination/<file name>/<field>`). The panel has no change of a destination: every
// field is fixed (a changed file is refused: delete and create it). Created with saveAnyway
// (kept though its test fails, as the console shows), like database servers.
import { type DestinationKind, destinationSecrets } from "@steward/contracts/backups";
import { type DestinationFile, destinationSecret, scopedFileName } from "@steward/contracts/state";
import type { Api } from "../api.ts";
import { addLabelled, idOf, type KindOps, nameOf, type Reference, type Refs } from "../kind.ts";

interface Destination {
  id: string;
  accountId: string | null;
  name: string;
  kind: DestinationKind;
  settings: Record<string, unknown>;
  secrets: string[];
}

const refOf = (settings: DestinationFile["settings"], field: string) =>
  settings[field] as { secret: string } | undefined;

export const backupDestinations: KindOps<"backup-destination"> = {
  kind: "backup-destination",
  fixed: ["name", "account", "settings"],
  refers: (f) => {
    const out: Reference[] = [];
    if (f.account !== null) out.push({ field: "account", to: "account", name: f.account });
    if (f.settings.kind === "local")
      out.push({ field: "settings.node", to: "node", name: String(f.settings.node) });
    return out;
  },
  secrets: (f) =>
    destinationSecrets[f.settings.kind].flatMap((field) => {
      const ref = refOf(f.settings, field);
      return ref ? [{ field: `settings.${field}`, name: ref.secret }] : [];
    }),
  async read(api: Api, refs: Refs) {
    const out = new Map<string, { id: string; file: DestinationFile }>();
    for (const d of await api.all<Destination>("/api/v1/backup-destinations")) {
      const account = d.accountId === null ? null : nameOf(refs.accounts, d.accountId);
      const name = scopedFileName({ account, name: d.name });
      const { nodeId, ...settings }: Record<string, unknown> = { ...d.settings, kind: d.kind };
      if (d.kind === "local") settings.node = nameOf(refs.nodes, String(nodeId));
      for (const field of destinationSecrets[d.kind])
        if (d.secrets.includes(field)) settings[field] = { secret: destinationSecret(name, field) };
      const file = { name: d.name, account, settings: settings as DestinationFile["settings"] };
      addLabelled(out, "backup-destination", name, { id: d.id, file });
    }
    return out;
  },
  async create(api, refs, file, secrets) {
    const { node, ...settings } = file.settings;
    if (settings.kind === "local")
      settings.nodeId = idOf(refs.nodes, "settings.node", String(node), "node");
    for (const field of destinationSecrets[settings.kind]) {
      const ref = refOf(file.settings, field);
      if (ref) settings[field] = secrets.get(ref.secret);
    }
    await api.send("POST", "/api/v1/backup-destinations", {
      name: file.name,
      accountId:
        file.account === null ? null : idOf(refs.accounts, "account", file.account, "account"),
      settings,
      saveAnyway: true,
    });
  },
  async remove(api, current) {
    await api.send("DELETE", `/api/v1/backup-destinations/${current.id}`);
  },
};
