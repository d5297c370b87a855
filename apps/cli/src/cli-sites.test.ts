// The real `steward` CLI as a child process: websites. Nothing applies the sites here (no
// agent, no task runner): these tests are about what the CLI accepts, writes and prints.
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditJson, type Cli, cliFor, type Page, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

interface SiteJson {
  id: string;
  accountId: string;
  nodeId: string;
  kind: string;
  domains: string[];
  aliases: string[];
  redirect: string;
  root: string;
  upstream: string | null;
  phpAllowExec: boolean;
  writableDirs: string[];
  status: string;
  suspended: boolean;
  lastError: string | null;
  taskId: string;
}

/** Runs SQL on the data directory's SQLite file (the CLI has closed it by then). */
function sqlite<T>(c: Cli, fn: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(join(c.dataDir, "steward.db"));
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/**
 * A node named web-1 that sites can go to. Enrollment (token, agent, certificate) is covered
 * by the node and agent tests: here the node is marked trusted directly in the SQLite file,
 * which is all the sites service asks of it.
 */
async function trustedNode(c: Cli, name = "web-1"): Promise<string> {
  const add = ["node", "add", "--name", name, "--agent-url", "https://10.0.0.5:7443"];
  const { id } = await c.json<{ id: string }>(add);
  sqlite(c, (db) => db.prepare("UPDATE nodes SET state = 'trusted' WHERE id = ?").run(id));
  return id;
}

describe("steward site", () => {
  it("adds, lists, shows, changes, suspends, resumes and deletes sites", async () => {
    const c = cliFor();
    const nodeId = await trustedNode(c);
    const web = await c.json<SiteJson>([
      ...["site", "add", "--node", "web-1", "--domain", "Example.COM"],
      ...["--domain", "shop.example.com", "--alias", "old.example.com", "--redirect", "to-www"],
    ]);
    expect(web).toMatchObject({
      nodeId,
      kind: "static",
      domains: ["example.com", "shop.example.com"],
      aliases: ["old.example.com"],
      redirect: "to-www",
      root: "public",
      upstream: null,
      status: "pending",
      suspended: false,
    });
    expect(web.taskId).toMatch(/^task_/);
    const task = await c.json<{ kind: string; state: string }>(["task", "show", web.taskId]);
    expect(task).toMatchObject({ kind: "site.apply", state: "queued" });

    // without --kind, --upstream makes a proxy site; people get the ids and the hint
    const added = await c.ok([
      ...["site", "add", "--node", nodeId, "--domain", "api.example.com"],
      ...["--upstream", "http://93.184.215.14:3000", "--no-monitor"],
    ]);
    expect(added).toMatch(
      /^site (site_\S+) \(api\.example\.com\) added\ntask (task_\S+) applies it on node node_\S+; follow it with:\n {2}steward task logs \2 --follow\n$/,
    );
    const apiId = /^site (site_\S+)/.exec(added)?.[1] ?? "";
    // a site's HTTP monitor of its primary domain, unless --no-monitor
    const monitors = () =>
      sqlite(c, (db) => db.prepare("SELECT site_id, name FROM monitors ORDER BY name").all());
    expect(monitors()).toEqual([{ site_id: web.id, name: "example.com" }]);
    await c.json(["site", "set", apiId, "--monitor"]);
    expect(monitors()).toEqual([
      { site_id: apiId, name: "api.example.com" },
      { site_id: web.id, name: "example.com" },
    ]);
    await c.json(["site", "set", apiId, "--no-monitor"]);
    expect(monitors()).toEqual([{ site_id: web.id, name: "example.com" }]);

    const [all, byNode, search, human, shown] = await Promise.all([
      c.json<Page<SiteJson>>(["site", "list"]),
      c.json<Page<SiteJson>>(["site", "list", "--node", "web-1", "--status", "pending"]),
      c.json<Page<SiteJson>>(["site", "list", "--search", "API.example"]),
      c.ok(["site", "list"]),
      c.json<SiteJson>(["site", "show", apiId]),
    ]);
    expect(all.items.map((s) => s.id)).toEqual([web.id, apiId]);
    expect(all.nextCursor).toBeNull();
    expect(byNode.items).toHaveLength(2);
    expect(search.items.map((s) => s.id)).toEqual([apiId]);
    expect(human).toMatch(/^ID\s+DOMAIN\s+KIND\s+NODE\s+STATUS\s+LASTERROR\n/);
    expect(human).toMatch(
      new RegExp(`\n${apiId}\\s+api\\.example\\.com\\s+proxy\\s+${nodeId}\\s+pending\\s+-\n`),
    );
    expect(shown).toMatchObject({ kind: "proxy", upstream: "http://93.184.215.14:3000" });
    // a failed apply, as the task would record it: the table shortens the reason
    const reason = `nginx -t failed: ${"x".repeat(100)}`;
    sqlite(c, (db) =>
      db
        .prepare("UPDATE sites SET status = 'failed', last_error = ? WHERE id = ?")
        .run(reason, apiId),
    );
    const failed = await c.ok(["site", "list", "--status", "failed"]);
    expect(failed).toMatch(/\s+failed\s+nginx -t failed: x{22}…\n$/);
    expect((await c.json<SiteJson>(["site", "show", apiId])).lastError).toBe(reason);
    const paged = await c.json<Page<SiteJson>>(["site", "list", "--limit", "1"]);
    expect(paged.items.map((s) => s.id)).toEqual([web.id]);
    expect(
      (await c.json<Page<SiteJson>>(["site", "list", "--cursor", paged.nextCursor ?? ""])).items,
    ).toHaveLength(1);

    // a change re-applies the site; the task still waiting is reused, not doubled
    const set = [
      "site",
      "set",
      web.id,
      "--domain",
      "example.org",
      "--no-alias",
      "--root",
      "web/public",
    ];
    const changed = await c.json<SiteJson>([...set, "--redirect", "none"]);
    expect(changed).toMatchObject({
      domains: ["example.org"],
      aliases: [],
      root: "web/public",
      redirect: "none",
      taskId: web.taskId,
    });
    const toStatic = await c.json<SiteJson>([
      "site",
      "set",
      apiId,
      "--kind",
      "php",
      "--no-upstream",
      "--php-exec",
    ]);
    expect(toStatic).toMatchObject({ kind: "php", upstream: null, phpAllowExec: true });
    expect(toStatic.writableDirs).toEqual(["uploads"]);
    expect(web.phpAllowExec).toBe(false);
    const wp = ["--writable-dir", "uploads", "--writable-dir", "wp-content/uploads"];
    const writable = await c.json<SiteJson>(["site", "set", apiId, ...wp]);
    expect(writable.writableDirs).toEqual(["uploads", "wp-content/uploads"]);
    const none = await c.json<SiteJson>(["site", "set", apiId, "--no-writable-dir"]);
    expect(none.writableDirs).toEqual([]);
    // the names the site gave up are free again
    await c.json(["site", "add", "--node", "web-1", "--domain", "example.com"]);

    const suspended = await c.json<SiteJson>(["site", "suspend", web.id]);
    expect(suspended).toMatchObject({ status: "suspended", suspended: true });
    const resumed = await c.json<SiteJson>(["site", "resume", web.id]);
    expect(resumed).toMatchObject({ status: "pending", suspended: false });

    const unconfirmed = await c.fails(["site", "delete", web.id], 2);
    expect(unconfirmed).toMatch(/--yes/);
    expect(await c.ok(["site", "delete", web.id, "--yes"])).toMatch(
      /^site site_\S+ \(example\.org\) is being deleted; its files are kept\n/,
    );
    const gone = await c.json<SiteJson>(["site", "delete", apiId, "--delete-files", "--yes"]);
    expect(gone.status).toBe("deleting");
    const keep = sqlite(c, (db) =>
      db.prepare("SELECT id, keep_files FROM sites WHERE status = 'deleting' ORDER BY id").all(),
    );
    expect(keep).toEqual([
      { id: web.id, keep_files: 1 },
      { id: apiId, keep_files: 0 },
    ]);
    expect(await c.fails(["site", "set", web.id, "--root", "www"], 1)).toBe(
      `steward: site ${web.id} is being deleted`,
    );

    const audit = await c.json<Page<AuditJson>>(["audit", "list", "--action", "site.*"]);
    expect(audit.items.map((e) => e.action).sort()).toEqual([
      "site.create",
      "site.create",
      "site.create",
      "site.delete",
      "site.delete",
      "site.resume",
      "site.suspend",
      "site.update",
      "site.update",
      // --monitor, then --no-monitor
      "site.update",
      "site.update",
      // --writable-dir, then --no-writable-dir
      "site.update",
      "site.update",
    ]);
    expect(audit.items.every((e) => e.actorType === "system")).toBe(true);
  }, 300_000);
});

/** [what, argv (given the existing site's id), exit code, the message after "steward: "] */
type Case = [string, (site: string) => string[], 1 | 2, string];

const BAD_DOMAIN = "must be a domain name like example.com";
const add =
  (...rest: string[]) =>
  () => ["site", "add", "--node", "web-1", ...rest];
const addDomain = (name: string) => add("--domain", name);
const label64 = `${"a".repeat(64)}.com`;
const name258 = `${Array.from({ length: 5 }, () => "a".repeat(50)).join(".")}.com`;

const hostileDomains: [string, string][] = [
  ["a semicolon", "a;b.com"],
  ["a space", "a b.com"],
  ["braces", "a{b}.com"],
  ["a closing brace", "a.com}"],
  ["double quotes", '"a".com'],
  ["single quotes", "'a'.com"],
  ["a dollar", "$host.com"],
  ["a command substitution", "$(reboot).com"],
  ["backticks", "`reboot`.com"],
  ["a newline", "a.com\nserver_name b.com"],
  ["..", "a..com"],
  ["a leading dot", ".a.com"],
  ["a leading dash", "-a.com"],
  ["a port", "a.com:8080"],
  ["a scheme", "http://a.com"],
  ["a path", "a.com/x"],
  ["a wildcard", "*.a.com"],
  ["a label of 64 characters", label64],
  ["an IP address", "10.0.0.1"],
  ["one label", "localhost"],
];

/** The same validator checks --alias and `set --domain`: a few of the values are enough. */
const someDomains = hostileDomains.filter((_, i) => i % 4 === 0);

const cases: Case[] = [
  ...hostileDomains.map(
    ([what, name]): Case => [
      `--domain with ${what}`,
      addDomain(name),
      2,
      `--domain: ${BAD_DOMAIN}`,
    ],
  ),
  ...someDomains.map(
    ([what, name]): Case => [
      `--alias with ${what}`,
      add("--domain", "new.example.com", "--alias", name),
      2,
      `--alias: ${BAD_DOMAIN}`,
    ],
  ),
  ...someDomains.map(
    ([what, name]): Case => [
      `set --domain with ${what}`,
      (site) => ["site", "set", site, "--domain", name],
      2,
      `--domain: ${BAD_DOMAIN}`,
    ],
  ),
  ["a name of 258 characters", addDomain(name258), 2, "--domain: must be at most 253"],
  ["a second --domain bad", add("--domain", "ok.com", "--domain", "a;b.com"), 2, "--domain: "],
  ["--root ../etc", add("--domain", "new.example.com", "--root", "../etc"), 2, "--root: "],
  ["--root /etc", add("--domain", "new.example.com", "--root", "/etc"), 2, "--root: "],
  ["--root a/../..", add("--domain", "new.example.com", "--root", "a/../.."), 2, "--root: "],
  ["set --root ..", (site) => ["site", "set", site, "--root", ".."], 2, "--root: "],
  ...[
    "ftp://x:21",
    "http://h",
    "http://h:99999",
    "http://h:80/path",
    "http://h:80;reboot",
    "http://user@h:80",
  ].map(
    (url): Case => [
      `--upstream ${url}`,
      add("--domain", "new.example.com", "--upstream", url),
      2,
      "--upstream: ",
    ],
  ),
  // the node's outbound policy (the CLI calls the same service as the API)
  ...[
    ["http://169.254.169.254:80", "169.254.169.254 is a link-local address"],
    ["http://localhost:3000", "localhost resolves to 127.0.0.1, a loopback address"],
    ["http://10.0.0.5:7443", "10.0.0.5 is the agent's own address and port"],
    ["http://2130706433:80", "2130706433 is not an IPv4 address in standard form"],
  ].map(
    ([url, why]): Case => [
      `--upstream ${url}`,
      add("--domain", "new.example.com", "--upstream", url ?? ""),
      2,
      `--upstream: ${why}`,
    ],
  ),
  [
    "--upstream on a static site",
    add("--domain", "new.example.com", "--kind", "static", "--upstream", "http://h:80"),
    2,
    "--upstream: is only for proxy sites",
  ],
  [
    "a proxy site without --upstream",
    add("--domain", "new.example.com", "--kind", "proxy"),
    2,
    "--upstream: is required for a proxy site",
  ],
  [
    "set to proxy without --upstream",
    (site) => ["site", "set", site, "--kind", "proxy"],
    2,
    "--upstream: is required for a proxy site",
  ],
  ["--kind shell", add("--domain", "new.example.com", "--kind", "shell"), 2, "--kind: "],
  ["--redirect always", add("--domain", "new.example.com", "--redirect", "x"), 2, "--redirect: "],
  [
    "an unknown node",
    () => ["site", "add", "--node", "node_missing", "--domain", "new.example.com"],
    2,
    "--node: node node_missing not found",
  ],
  [
    "a node not enrolled",
    () => ["site", "add", "--node", "web-2", "--domain", "new.example.com"],
    2,
    "--node: node web-2 is not enrolled yet",
  ],
  [
    "--node ../etc",
    () => ["site", "add", "--node", "../etc", "--domain", "new.example.com"],
    2,
    "--node: ",
  ],
  [
    "an unknown account",
    add("--domain", "new.example.com", "--account", "nope"),
    2,
    "--account: account nope not found",
  ],
  [
    "a taken domain",
    addDomain("kept.example.com"),
    1,
    "--domain: kept.example.com is already used by site kept.example.com",
  ],
  [
    "a taken alias",
    add("--domain", "new.example.com", "--alias", "kept.example.com"),
    1,
    "--alias: kept.example.com is already used by site",
  ],
  [
    "a taken www name",
    add("--domain", "www.kept.example.com"),
    1,
    "--domain: www.kept.example.com is already used by site",
  ],
  ["set with nothing", (site) => ["site", "set", site], 2, "nothing to change"],
  ["show ../etc", () => ["site", "show", "../etc"], 2, "<id>: "],
  [
    "show an unknown site",
    () => ["site", "show", "site_missing"],
    1,
    "site site_missing not found",
  ],
  [
    "delete an unknown site",
    () => ["site", "delete", "site_missing", "--yes"],
    1,
    "site site_missing not found",
  ],
  ["suspend SQL", () => ["site", "suspend", "x' or 1=1--"], 2, "<id>: "],
  [
    "migrate-layout without --yes",
    (site) => ["site", "migrate-layout", site],
    2,
    "moving site site_",
  ],
  ["migrate-layout ../etc", () => ["site", "migrate-layout", "../etc", "--yes"], 2, "<id>: "],
  [
    "migrate-layout without a main system user",
    (site) => ["site", "migrate-layout", site, "--yes"],
    1,
    "the site's account has no main system user on the site's node yet",
  ],
  ...["8", "8.2;id", "../8.2", "x".repeat(200)].map(
    (v): Case => [
      `--php-version ${v.slice(0, 10)}`,
      add("--domain", "new.example.com", "--kind", "php", "--php-version", v),
      2,
      "--php-version: ",
    ],
  ),
  [
    "--php-version the node has not reported",
    add("--domain", "new.example.com", "--kind", "php", "--php-version", "8.2"),
    2,
    "--php-version: node web-1 has not reported its PHP versions yet",
  ],
  [
    "--php-version on a static site",
    (site) => ["site", "set", site, "--php-version", "8.2"],
    2,
    "--php-version: is only for PHP sites",
  ],
  ...["../etc", "/etc", "a\nb", "a;b", "wp-content/", "x".repeat(201)].map(
    (d): Case => [
      `--writable-dir ${JSON.stringify(d.slice(0, 10))}`,
      add("--domain", "new.example.com", "--kind", "php", "--writable-dir", d),
      2,
      "--writable-dir: ",
    ],
  ),
  [
    "--writable-dir twice",
    add(
      ...["--domain", "new.example.com", "--kind", "php"],
      ...["--writable-dir", "a", "--writable-dir", "a"],
    ),
    2,
    "--writable-dir: must not repeat a directory",
  ],
  [
    "--writable-dir on a static site",
    (site) => ["site", "set", site, "--writable-dir", "uploads"],
    2,
    "--writable-dir: is only for PHP sites",
  ],
  ["list --status gone", () => ["site", "list", "--status", "gone"], 2, "--status: "],
  ["list --search newline", () => ["site", "list", "--search", "a\nb"], 2, "--search: "],
  ["list --node SQL", () => ["site", "list", "--node", "x' or 1=1--"], 2, "--node: "],
  ["list --limit 0", () => ["site", "list", "--limit", "0"], 2, "--limit: "],
];

/** Everything a refused command could have changed, as the CLI shows it. */
const snapshot = (c: Cli, site: string) =>
  c.snapshot([
    ["site", "list"],
    ["site", "show", site],
    ["task", "list"],
    ["account", "list"],
    ["audit", "list", "--limit", "200"],
  ]);

describe("steward site with hostile input", () => {
  const c = cliFor();
  let site = "";
  let before: unknown[];
  beforeAll(async () => {
    await trustedNode(c);
    await c.json(["node", "add", "--name", "web-2", "--agent-url", "https://10.0.0.6:7443"]);
    const kept = ["--domain", "kept.example.com", "--redirect", "to-www"];
    site = (await c.json<SiteJson>(["site", "add", "--node", "web-1", ...kept])).id;
    before = await snapshot(c, site);
  }, 120_000);

  it.concurrent.each(cases)("refuses %s", async (_what, args, code, message) => {
    const line = await c.fails(args(site), code);
    expect(line.startsWith(`steward: ${message}`), line).toBe(true);
  });

  it("changed nothing", async () => {
    expect(await snapshot(c, site)).toEqual(before);
  }, 120_000);
});
