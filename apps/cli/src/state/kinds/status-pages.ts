// Status pages: `status-page/<slug>.yaml` with their account, title, description and the
// monitors they list (by the monitors' file names, `shop--shop-example`, each under its
// public name). A page made by apply lists monitors made just before it.
import type { StatusPageFile } from "@steward/contracts/state";
import type { Api } from "../api.ts";
import { idOf, type KindOps, nameOf, type Refs } from "../kind.ts";

interface StatusPage {
  id: string;
  accountId: string;
  slug: string;
  title: string;
  description: string;
  monitors: { monitorId: string; name: string }[];
}

const monitorsOf = (refs: Refs, f: StatusPageFile) =>
  f.monitors.map((m, i) => ({
    monitor: idOf(refs.monitors, `monitors.${i}.monitor`, m.monitor, "monitor"),
    name: m.name,
  }));

export const statusPages: KindOps<"status-page"> = {
  kind: "status-page",
  fixed: ["account"],
  refers: (f) => [
    { field: "account", to: "account", name: f.account },
    ...f.monitors.map((m, i) => ({
      field: `monitors.${i}.monitor`,
      to: "monitor" as const,
      name: m.monitor,
    })),
  ],
  async read(api: Api, refs: Refs) {
    const out = new Map<string, { id: string; file: StatusPageFile }>();
    for (const p of await api.all<StatusPage>("/api/v1/status-pages"))
      out.set(p.slug, {
        id: p.id,
        file: {
          slug: p.slug,
          account: nameOf(refs.accounts, p.accountId),
          title: p.title,
          description: p.description,
          monitors: p.monitors.map((m) => ({
            monitor: nameOf(refs.monitors, m.monitorId),
            name: m.name,
          })),
        },
      });
    return out;
  },
  async create(api, refs, file) {
    await api.send("POST", "/api/v1/status-pages", {
      account: idOf(refs.accounts, "account", file.account, "account"),
      slug: file.slug,
      title: file.title,
      description: file.description,
      monitors: monitorsOf(refs, file),
    });
  },
  async update(api, refs, current, file) {
    await api.send("PATCH", `/api/v1/status-pages/${current.id}`, {
      title: file.title,
      description: file.description,
      monitors: monitorsOf(refs, file),
    });
  },
  async remove(api, current) {
    await api.send("DELETE", `/api/v1/status-pages/${current.id}`);
  },
};
