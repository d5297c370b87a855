// The requests of the plans test: each list endpoint of the OpenAPI document with each filter
// it accepts (a sample value for each, every value of an enum), without and with a cursor.
import type { ActorName, World } from "../testing/fixtures.ts";
import { LINES } from "../testing/task-kinds.ts";

export interface ListCall {
  actor: ActorName;
  path: string;
  cursor: boolean;
  /** the request narrows the rows: a filter, or an actor who sees only some */
  filtered: boolean;
  /** the columns its filter compares to a value, which every walk must bound (plans.ts) */
  bound: string[];
}

interface Param {
  in: string;
  name: string;
  schema?: { enum?: string[] };
}

/** Sample values of the query parameters lists take, by name. */
const samples = (w: World): Record<string, string[]> => ({
  q: ["a"],
  userId: [w.userIds.reader],
  principalId: [w.userIds.reader],
  scopeId: [w.a],
  actor: [w.userIds.accountAdmin, "account-admin@example.com"],
  action: ["account.create", "account.*"],
  targetType: ["account"],
  target: [w.a],
  account: [w.a],
  from: ["2026-01-01T00:00:00.000Z"],
  to: ["2030-01-01T00:00:00.000Z"],
  kind: [LINES],
  node: ["nod_01jd0000000000000000000000"],
  // events: a type and a prefix of types
  type: ["site.failed", "task."],
  site: ["site_00000000000000000000000001"],
  // a monitor's results of one location: the panel's, a node's
  location: ["panel", "nod_01jd0000000000000000000000"],
  // databases and their users: a server of account A (plans.test.ts, addDatabaseServers)
  server: ["dbs_000000000000000000000000"],
  // backups: a plan, source and destination of account A (plans.test.ts, addBackupPlans)
  plan: ["bkp_000000000000000000000000"],
  source: ["bks_000000000000000000000000"],
  destination: ["bkd_000000000000000000000000"],
  // the fleet's extensions (plans.test.ts, addCmsSites): a plugin, a core
  slug: ["akismet/akismet.php", "wordpress"],
  // the storage explorer's sizes
  minBytes: ["1"],
  maxBytes: ["1000000"],
});
/** the tasks list's target is "<type>" or "<type>:<id>" */
const taskTargets = ["site", "site:site_01jd000000000000000000"];

/** Path parameters of nested lists, by the collection they are under. */
const parents = (
  w: World,
  task: string,
  monitor: string,
  more: Record<string, string>,
): Record<string, string> => ({
  accounts: w.a,
  groups: w.group,
  tasks: task,
  monitors: monitor,
  // the first channel of account A (plans.test.ts, addChannels): its delivery log
  "notification-channels": "nch_000000000000000000000000",
  // a database of account A's first server (plans.test.ts, addDatabaseServers): its sizes, and
  // one's SQL console history (addConsoleHistory)
  databases: "db_dbs_000000000000000000000000",
  // the first zone (plans.test.ts): its secondaries
  zones: "dnz_00000000000000000000000000",
  // the first CMS site of account A (plans.test.ts, addCmsSites): its update history
  "cms-sites": "cms_000000000000000000000000",
  // a mail domain of account A (plans.test.ts, addMail): its mailboxes and aliases
  domains: "mdm_0000000000000000000000000",
  ...more,
});

/**
 * Filters that keep most rows, or that no index can answer: the id order is walked and the
 * rows they drop are few, or the price of the search.
 */
const LOOSE = [
  // an order (lib/keyset.ts), not a filter: every row, walked along the sort's index
  /[?&]sort=/,
  // a search for text anywhere in a name: no index answers LIKE '%text%'
  /[?&]q=/,
  // most tasks are disabled: every run-once task that succeeded
  /^\/api\/v1\/tasks\?enabled=false/,
  // most users are not disabled
  /^\/api\/v1\/users\?disabled=false/,
  // a time range is an id range (ids begin with their time, modules/audit/repo.ts): the walk
  // drops only the events of a minute's margin
  /^\/api\/v1\/audit-events\?(from|to)=/,
  /^\/api\/v1\/events\?(from|to)=/,
  // an artifact's time is its id's (modules/backups/runs-repo.ts): the range is the id range
  // itself, walked along (account, id) or the id, nothing dropped
  /^\/api\/v1\/backup-artifacts\?(from|to)=/,
];

/**
 * The columns a filter compares: its own (snake case), its id's or rank's; the tasks' target
 * is a type ("site") or one target ("site:<id>", its id).
 */
function boundBy(path: string, [name, value]: [string, string]): string[] {
  if (path === "/api/v1/tasks" && name === "target")
    return [value.includes(":") ? "target_id" : "target_type"];
  const column = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return [column, `${column}_id`, `${column}_rank`];
}

/**
 * A cursor past some rows: an id, or for a sorted list (lib/keyset.ts) its sort, a value of the
 * key's type and an id.
 */
function cursorFor(filter: [string, string] | null): string {
  if (filter?.[0] !== "sort" || /^-?createdAt$/.test(filter[1])) return "zzzzzzzzzzzz";
  const key = filter[1].replace(/^-/, "");
  const value = key === "lastSeenAt" || key === "expires" ? Date.now() : "m";
  return Buffer.from(JSON.stringify([key, value, "zzzzzzzzzzzz"])).toString("base64url");
}

/**
 * who asks: one who sees every row, one who administers an account, one who reads it (and so
 * sees its own actions only in the audit log: another scope, other walks)
 */
const WHO: { actor: ActorName; seesAll: boolean }[] = [
  { actor: "super", seesAll: true },
  { actor: "accountAdmin", seesAll: false },
  { actor: "reader", seesAll: false },
];

/** Lists without paging that still read a lot: checked as lists. */
const UNPAGED = [
  "/api/v1/dashboard",
  "/api/v1/monitors/{id}/series",
  // an account's databases' sizes now and per day (its databases, their points of 30 days)
  "/api/v1/accounts/{id}/database-sizes",
  // an account's mail per day (its mailboxes' days of 30 days, summed along (account, day))
  "/api/v1/accounts/{id}/mail-usage",
  // a zone's secondaries (at most 16: the agent's transfers), with their nodes
  "/api/v1/dns/zones/{id}/secondaries",
  // a CMS site's last 100 updates
  "/api/v1/cms-sites/{id}/history",
];

/** `more`: path parameters the test made (the storage explorer's destination on s3rver) */
export async function listCalls(w: World, more: Record<string, string> = {}): Promise<ListCall[]> {
  const doc = await w.s.request("GET", "/api/openapi.json", { key: w.keys.super });
  const tasks = await w.s.request("GET", "/api/v1/tasks", { key: w.keys.super });
  const task: string = tasks.body.items[0].id;
  const monitor = await w.s.request("POST", "/api/v1/monitors", {
    key: w.keys.super,
    body: { name: "plans", account: w.a, settings: { kind: "heartbeat" } },
  });
  const sample = samples(w);
  const calls: ListCall[] = [];
  for (const [template, item] of Object.entries(
    doc.body.paths as Record<string, { get?: { parameters?: Param[] } }>,
  )) {
    const params = item.get?.parameters ?? [];
    if (!params.some((p) => p.name === "limit") && !UNPAGED.includes(template)) continue;
    const path = template.replace(/\/([\w-]+)\/\{id\}/, (_, parent: string) => {
      const id = parents(w, task, monitor.body.id, more)[parent];
      if (!id) throw new Error(`plans test: no sample id under /${parent} for ${template}`);
      return `/${parent}/${id}`;
    });
    const filters: [string, string][] = [];
    for (const p of params) {
      if (p.in !== "query" || p.name === "limit" || p.name === "cursor") continue;
      const values =
        p.schema?.enum ??
        (template === "/api/v1/tasks" && p.name === "target" ? taskTargets : sample[p.name]);
      if (!values) throw new Error(`plans test: no sample value for ${p.name} of ${template}`);
      for (const value of values) filters.push([p.name, value]);
    }
    // an unpaged list takes no cursor
    const cursors = UNPAGED.includes(template) ? [false] : [false, true];
    for (const { actor, seesAll } of WHO)
      for (const filter of [null, ...filters])
        for (const cursor of cursors) {
          const query = new URLSearchParams(filter ? [filter] : []);
          if (cursor) query.set("cursor", cursorFor(filter));
          const qs = query.size ? `?${query}` : "";
          const loose = LOOSE.some((re) => re.test(`${path}${qs}`));
          calls.push({
            actor,
            path: `${path}${qs}`,
            cursor,
            filtered: !seesAll || (filter !== null && !loose),
            bound: filter && !loose ? boundBy(path, filter) : [],
          });
        }
  }
  return calls;
}
