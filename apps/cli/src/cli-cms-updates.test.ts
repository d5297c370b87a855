// The real `steward` CLI as a child process: update policies (set, list, show, remove), a
// site's history and the bulk update's preview. The sites' addresses never resolve (they are
// saved whatever their diagnosis says), so no WordPress is needed: these tests are about what
// the CLI accepts, prints and refuses (naming the option, changing nothing).
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, removeDataDirs } from "./testing/cli.ts";

afterAll(() => removeDataDirs());

interface Policy {
  id: string;
  siteId: string | null;
  level: string;
  window: { start: string; durationMinutes: number; days: string[] } | null;
}

describe("steward cms policy, history and update --bulk", () => {
  const c = cliFor();
  let site = "";
  const password = { input: "abcd efgh ijkl mnop qrst uvwx\n" };

  it("sets, lists, shows and removes policies; previews a bulk update", async () => {
    await c.ok(["account", "create", "--slug", "fleet", "--name", "Fleet"]);
    site = (
      await c.json<{ id: string }>(
        [
          ...["cms", "add", "--account", "fleet", "--name", "blog"],
          ...["--url", "https://blog.steward-test.invalid", "--user", "admin"],
          ...["--timezone", "America/Chicago"],
        ],
        password,
      )
    ).id;
    const defaults = await c.json<Policy>([
      ...["cms", "policy", "set", "--account", "fleet", "--level", "minor"],
      ...["--window", "05:00", "--duration", "90", "--days", "mon,wed"],
      ...["--visual-check", "on", "--visual-threshold", "2.5"],
    ]);
    expect(defaults).toMatchObject({
      siteId: null,
      level: "minor",
      visualCheck: "on",
      visualThreshold: 2.5,
      window: { start: "05:00", durationMinutes: 90, days: ["mon", "wed"] },
    });
    const own = await c.ok([
      ...["cms", "policy", "set", "--account", "fleet", "--site", site],
      ...["--plugin", "shop/shop.php", "--level", "patch", "--skip-version", "2.0.1"],
    ]);
    expect(own).toMatch(/extension +plugin shop\/shop\.php/);
    const joomla = await c.json<Policy & { type: string; slug: string }>([
      ...["cms", "policy", "set", "--account", "fleet", "--site", site],
      ...["--extension", "plg_system_admintools", "--level", "none"],
    ]);
    expect(joomla).toMatchObject({
      siteId: site,
      type: "extension",
      slug: "plg_system_admintools",
    });
    const [listed, shown, history, preview] = await Promise.all([
      c.ok(["cms", "policy", "list", "--account", "fleet"]),
      c.ok(["cms", "policy", "show", site]),
      c.ok(["cms", "history", site]),
      c.ok(["cms", "update", "--bulk", "--account", "fleet", "--preview"]),
    ]);
    expect(listed).toMatch(/ID +SITE +EXTENSION +LEVEL +STABLE +WINDOW/);
    expect(listed).toMatch(/\(defaults\) +\(all\) +minor +true +05:00 \+90m mon,wed/);
    expect(shown).toMatch(/level +minor/);
    expect(shown).toMatch(/from +account/);
    expect(shown).toMatch(/timezone +America\/Chicago/);
    expect(shown).toMatch(/nextWindow +\d{4}-\d\d-\d\dT/);
    expect(shown).toMatch(/visualCheck +on \(2\.5%\)/);
    expect(history).toBe("(none)\n");
    expect(preview).toMatch(/^preview: nothing changed; upgrades start 2 minutes apart\n/);
    expect(preview).toMatch(/blog .* America\/Chicago .* not refreshed yet: no offers known/);
    const removed = await c.json<{ removed: string }>(["cms", "policy", "remove", defaults.id]);
    expect(removed).toEqual({ removed: defaults.id });
    const left = await c.json<{ items: Policy[] }>(["cms", "policy", "list", "--account", "fleet"]);
    expect(left.items.map((p) => p.siteId)).toEqual([site, site]);
  }, 180_000);

  it("refuses hostile values naming the option, changing nothing", async () => {
    const set = ["cms", "policy", "set", "--account", "fleet"];
    const cases: [string[], RegExp][] = [
      [[...set, "--level", "all"], /^steward: --level: /],
      [[...set, "--level", "minor';--"], /^steward: --level: /],
      [[...set, "--level", "minor", "--window", "25:00"], /^steward: --window: /],
      [[...set, "--level", "minor", "--window", "05:00;"], /^steward: --window: /],
      [
        [...set, "--level", "minor", "--window", "05:00", "--duration", "5"],
        /^steward: --duration: /,
      ],
      [[...set, "--level", "minor", "--window", "05:00", "--days", "funday"], /^steward: --days: /],
      [[...set, "--level", "minor", "--keyword", "a\nb"], /^steward: --keyword: /],
      [[...set, "--level", "minor", "--plugin", "../x"], /^steward: --plugin: /],
      [[...set, "--level", "minor", "--theme", "a`b"], /^steward: --theme: /],
      [[...set, "--level", "minor", "--extension", "com_x;--"], /^steward: --extension: /],
      [[...set, "--level", "minor", "--extension", "../com_x"], /^steward: --extension: /],
      [[...set, "--level", "minor", "--extension", "a".repeat(250)], /^steward: --extension: /],
      [[...set, "--level", "minor", "--extension", "com_x", "--core"], /^steward: --core, /],
      [
        [...set, "--level", "minor", "--plugin", "a/a.php", "--skip-version", "1.0'"],
        /^steward: --skip-version: /,
      ],
      [[...set, "--level", "minor", "--site", "' or 1=1--"], /^steward: --site: /],
      [[...set, "--level", "minor", "--visual-check", "yes"], /^steward: --visual-check: /],
      [[...set, "--level", "minor", "--visual-check", "on;--"], /^steward: --visual-check: /],
      [[...set, "--level", "minor", "--visual-threshold", "5%"], /^steward: --visual-threshold: /],
      [[...set, "--level", "minor", "--visual-threshold", "0"], /^steward: --visual-threshold: /],
      [
        [...set, "--level", "minor", "--plugin", "a/a.php", "--visual-check", "on"],
        /^steward: --visual-check: /,
      ],
      [[...set, "--level", "minor", "--site", "cms_missing"], /^steward: --site: /],
      [["cms", "policy", "show", "../x"], /^steward: <id>: /],
      [["cms", "update", "--bulk"], /^steward: --account: /],
      [["cms", "update", "--bulk", "--account", "fleet", "--site", "a;b"], /^steward: --site: /],
      [
        ["cms", "update", "--bulk", "--account", "fleet", "--site", "cms_missing"],
        /^steward: --site: /,
      ],
      [["cms", "update", "--bulk", "--account", "fleet", "--core"], /^steward: --bulk: /],
    ];
    // eight processes at a time: a loaded machine kills none of them at its timeout
    const said: string[] = [];
    for (let i = 0; i < cases.length; i += 8)
      said.push(...(await Promise.all(cases.slice(i, i + 8).map(([args]) => c.fails(args, 2)))));
    for (const [i, line] of said.entries()) expect(line).toMatch(cases[i]?.[1] ?? /never/);
    const left = await c.json<{ items: Policy[] }>(["cms", "policy", "list", "--account", "fleet"]);
    expect(left.items).toHaveLength(2);
  }, 300_000);
});
