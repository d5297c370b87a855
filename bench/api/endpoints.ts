// What bench:api measures, read from the panel's own OpenAPI document so that it grows with
// every list a capability adds: every GET under /api/v1 that is not one object's read (its
// path ends in {id}) nor an event stream, once without filters and once per query filter,
// each filter given a value that selects seeded rows. A filter or path parameter without a
// value here is reported (not measured) rather than guessed.

/** Ids from the seeded data that filters and path parameters name. */
export interface Values {
  account: string;
  site: string;
  node: string;
  task: string;
  group: string;
  /** the admin actor */
  user: string;
  userEmail: string;
}

export interface Variant {
  /** stable across runs: ids shown as {account}, {site}… */
  label: string;
  /** the path with its query, ids filled in */
  path: string;
}

type Value = [label: string, value: (v: Values) => string];
const DAY = 86_400_000;
const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();

/** A query parameter's value for one path, else for every path that has it. */
const query: Record<string, Value> = {
  "/api/v1/users q": ["bench", () => "bench"],
  "/api/v1/accounts q": ["acct-1", () => "acct-1"],
  "/api/v1/groups q": ["bench", () => "bench"],
  "/api/v1/nodes q": ["node-1", () => "node-1"],
  "/api/v1/sites q": ["site-1", () => "site-1"],
  "/api/v1/tasks kind": ["node.facts", () => "node.facts"],
  "/api/v1/tasks target": ["site:{site}", (v) => `site:${v.site}`],
  "/api/v1/tasks state": ["failed", () => "failed"],
  "/api/v1/nodes state": ["unreachable", () => "unreachable"],
  "/api/v1/sites status": ["failed", () => "failed"],
  "/api/v1/apps q": ["app-1", () => "app-1"],
  "/api/v1/apps status": ["failed", () => "failed"],
  "/api/v1/apps source": ["git", () => "git"],
  "/api/v1/audit-events target": ["{site}", (v) => v.site],
  "/api/v1/grants role": ["admin", () => "admin"],
  account: ["{account}", (v) => v.account],
  node: ["{node}", (v) => v.node],
  actor: ["{admin email}", (v) => v.userEmail],
  action: ["site.update", () => "site.update"],
  targetType: ["site", () => "site"],
  outcome: ["denied", () => "denied"],
  from: ["7 days ago", () => iso(7)],
  to: ["30 days ago", () => iso(30)],
  enabled: ["false", () => "false"],
  disabled: ["true", () => "true"],
  userId: ["{admin}", (v) => v.user],
  principalType: ["group", () => "group"],
  principalId: ["{group}", (v) => v.group],
  scopeType: ["account", () => "account"],
  scopeId: ["{account}", (v) => v.account],
};

/** A path parameter's value, by the collection it follows. */
const pathIds: Record<string, Value> = {
  accounts: ["{account}", (v) => v.account],
  groups: ["{group}", (v) => v.group],
  tasks: ["{task}", (v) => v.task],
  nodes: ["{node}", (v) => v.node],
  sites: ["{site}", (v) => v.site],
  users: ["{admin}", (v) => v.user],
};

const PAGING = new Set(["limit", "cursor"]);

interface Operation {
  parameters?: { in: string; name: string }[];
}

/** Fills each {param} of a path from the collection before it; null when one has no value. */
function fillPath(path: string, values: Values): { label: string; path: string } | null {
  let label = path;
  let filled = path;
  for (const m of path.matchAll(/([a-z-]+)\/\{(\w+)\}/g)) {
    const id = pathIds[m[1] ?? ""];
    if (!id) return null;
    label = label.replace(`{${m[2]}}`, id[0]);
    filled = filled.replace(`{${m[2]}}`, id[1](values));
  }
  return { label, path: filled };
}

/** The variants of every list endpoint, and what could not be given a value. */
export function variantsOf(
  doc: { paths: Record<string, { get?: Operation }> },
  values: Values,
): { variants: Variant[]; skipped: string[] } {
  const variants: Variant[] = [];
  const skipped: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const op = item.get;
    if (!op || !path.startsWith("/api/v1/") || path === "/api/v1/setup") continue;
    if (/\{\w+\}$/.test(path)) continue; // one object's read, not a list
    if (path.endsWith("/events")) continue; // a stream of server-sent events
    const base = fillPath(path, values);
    if (!base) {
      skipped.push(`${path} (no value for its path parameter)`);
      continue;
    }
    variants.push({ label: `GET ${base.label}`, path: base.path });
    for (const p of op.parameters ?? []) {
      if (p.in !== "query" || PAGING.has(p.name)) continue;
      const value = query[`${path} ${p.name}`] ?? query[p.name];
      if (!value) {
        skipped.push(`${path}?${p.name} (no value for this filter)`);
        continue;
      }
      variants.push({
        label: `GET ${base.label}?${p.name}=${value[0]}`,
        path: `${base.path}?${p.name}=${encodeURIComponent(value[1](values))}`,
      });
    }
  }
  return { variants, skipped };
}
