// The history bench:api seeds: tasks (a realistic state mix, many kinds, targets on sites
// and nodes, accounts) and audit events (mixed actions, actors, outcomes incl. denied), as
// SQL expressions over the row number `n` (bench/api/rows.ts).
import { idOf, literal, mix, pick, type Series, timeSql } from "./rows.ts";

const DAY = 86_400_000;

/** The users the seeded tasks and events name as their authors and actors. */
export interface Author {
  id: string;
  email: string;
}

/**
 * The site a row of history is about: rows are joined to the table of site ids
 * (SITE_IDS, as `s`) on this, so an id is looked up rather than computed again per use.
 */
export const siteOf = (sites: number) => `((n * 7919) % ${sites})`;
export const SITE_IDS = "bench_seed_sites";
const siteId = "s.site_id";
const nodeId = "s.node_id";
const accountId = "s.account_id";

export function taskColumns(tasks: Series, authors: Author[], now: number): Record<string, string> {
  // by (n + n / 200) % 20: 12 site applies, 2 node facts, 1 heartbeat, 1 certificate renewal,
  // 4 noop tasks; every account has each kind's share (a task's site, and so its account, is
  // a function of n % 200, which the n / 200 term makes independent of the kind)
  const slot = "((n + n / 200) % 20)";
  const kindOf = `case when ${slot} < 12 then 0 when ${slot} < 14 then 1 when ${slot} = 14 then 2 when ${slot} = 15 then 3 else 4 end`;
  const k = (i: number) => `(${kindOf}) = ${i}`;
  // by r: 88% succeeded, 6% failed, 2% cancelled, 3% queued (later), 0.5% running, 0.5%
  // recurring (queued with a schedule); the n / 200 term spreads every state over every
  // account (a function of n % 200, as the kind above)
  const r = "((n * 31 + n / 200) % 1000)";
  const state = mix(
    r,
    [
      [880, "succeeded"],
      [940, "failed"],
      [960, "cancelled"],
      [995, "queued"],
    ],
    "running",
  );
  const queued = `(${r} >= 960 and ${r} < 995)`;
  const recurring = `(${r} >= 990 and ${r} < 995)`;
  const finished = `(${r} < 960)`;
  const at = timeSql(tasks, "n");
  const created = literal(null);
  const by = pick(`n % ${authors.length + 1}`, [...authors.map((a) => a.id), null]);
  return {
    id: idOf(tasks, "n"),
    kind: pick(kindOf, ["site.apply", "node.facts", "node.heartbeat", "node.rotate-cert", "noop"]),
    payload: `case when ${k(0)} then '{"siteId":"' || ${siteId} || '"}'
      when ${k(1)} or ${k(3)} then '{"nodeId":"' || ${nodeId} || '"}'
      when ${k(4)} then '{"message":"bench"}' else '{}' end`,
    target_type: `case when ${k(0)} then 'site' when ${k(1)} or ${k(3)} then 'node' else null end`,
    target_id: `case when ${k(0)} then ${siteId} when ${k(1)} or ${k(3)} then ${nodeId} else null end`,
    // the site applies are their site's account's; system tasks (node.*, noop) have none
    account_id: `case when ${k(0)} then ${accountId} else null end`,
    state,
    // as the engine leaves them: a task that succeeded is disabled, any other stays enabled
    enabled: `case when ${r} < 880 then 0 else 1 end`,
    priority: "5",
    // what is still to run runs days from now, so the panel's worker stays idle while measured
    run_at: `case when ${queued} then ${now + 7 * DAY} + n else ${at} end`,
    expression: `case when ${recurring} then '0 3 * * *' else null end`,
    timezone: `case when ${recurring} then 'UTC' else null end`,
    on_success: literal("disable"),
    attempts: `case when ${finished} then 1 when ${r} >= 995 then 1 else 0 end`,
    max_attempts: `case when ${k(0)} then 5 when ${k(1)} then 3 else 1 end`,
    concurrency_key: `case when ${k(0)} then 'site.apply:site:' || ${siteId} else null end`,
    concurrency_limit: `case when ${k(0)} then 1 else null end`,
    lease_owner: `case when ${r} >= 995 then 'bench-worker' else null end`,
    lease_until: `case when ${r} >= 995 then ${now + 365 * DAY} else null end`,
    result: `case when ${r} < 880 then '{"ok":true}' else null end`,
    last_error: `case when ${r} >= 880 and ${r} < 940 then 'connect ECONNREFUSED 127.0.0.1:9' else null end`,
    last_outcome: `case when ${finished} then ${state} else null end`,
    created_by: `case when ${k(2)} then ${created} else ${by} end`,
    started_at: `case when ${finished} or ${r} >= 995 then ${at} + 5 else null end`,
    finished_at: `case when ${finished} then ${at} + 900 else null end`,
    created_at: at,
    updated_at: `${at} + 900`,
  };
}

export function auditColumns(audit: Series, authors: Author[]): Record<string, string> {
  // by n % 10: 6 users (the authors in turn), 2 API keys, 1 system, 1 anonymous
  const actorType = mix(
    "n % 10",
    [
      [6, "user"],
      [8, "api_key"],
      [9, "system"],
    ],
    "anonymous",
  );
  const author = `n % ${authors.length}`;
  const ids = pick(
    author,
    authors.map((a) => a.id),
  );
  const emails = pick(
    author,
    authors.map((a) => a.email),
  );
  const keyNames = pick(
    author,
    authors.map((a) => `${a.email} (API key)`),
  );
  const actions = [
    "site.create",
    "site.update",
    "site.apply",
    "site.remove",
    "task.create",
    "task.cancel",
    "task.run",
    "account.member_add",
    "grant.set",
    "auth.sign-in.email",
  ];
  const action = pick(`(n / 10) % ${actions.length}`, actions);
  const onSite = `((n / 10) % ${actions.length}) < 4`;
  return {
    id: idOf(audit, "n"),
    at: timeSql(audit, "n"),
    actor_type: actorType,
    actor_id: `case when n % 10 < 6 then ${ids}
      when n % 10 < 8 then 'key_bench' || (n % 7) else null end`,
    actor_name: `case when n % 10 < 6 then ${emails} when n % 10 < 8 then ${keyNames}
      when n % 10 = 8 then 'scheduler' else null end`,
    ip: `case when n % 10 = 8 then null else '127.0.0.1' end`,
    request_id: `'req-' || n`,
    action,
    target_type: `case when ${onSite} then 'site' else null end`,
    target_id: `case when ${onSite} then ${siteId} else null end`,
    account_id: `case when ${onSite} then ${accountId} else null end`,
    // 90% success, 6% failure, 4% denied
    outcome: mix(
      "n % 100",
      [
        [90, "success"],
        [96, "failure"],
      ],
      "denied",
    ),
    diff: `case when ${onSite} then '{"after":{"status":"active"}}' else null end`,
  };
}
