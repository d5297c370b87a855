// The real `steward` CLI as a child process: the CMS site fleet against a real WordPress
// (testkit; the connector plugin of this repository installed and active). No panel runs here:
// these tests are about what the CLI accepts, prints (a diagnosis with its fixes) and refuses
// (naming the option, changing nothing).
import { fileURLToPath } from "node:url";
import { startWordPress, type WordPressSite } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, removeDataDirs } from "./testing/cli.ts";

const connector = fileURLToPath(
  new URL("../../../connectors/wordpress/steward-connector", import.meta.url),
);
const wp = await startWordPress({ plugins: [{ dir: connector }] });
afterAll(async () => {
  removeDataDirs();
  await wp?.stop();
});

interface SiteJson {
  id: string;
  name: string;
  diagnosis: { ok: boolean; problems: { code: string }[] };
}

describe.skipIf(!wp)("steward cms", () => {
  const site = wp as WordPressSite;
  const c = cliFor(undefined, { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" });
  const add = (name: string, url = site.url) => [
    ...["cms", "add", "--account", "fleet", "--name", name],
    ...["--url", url, "--user", site.admin.user, "--timezone", "Europe/Paris"],
  ];

  it("adds, lists, shows, diagnoses and removes sites, printing each problem's fix", async () => {
    await c.ok(["account", "create", "--slug", "fleet", "--name", "Fleet"]);
    const blog = await c.json<SiteJson>(add("blog"), {
      input: `${site.admin.applicationPassword}\n`,
    });
    expect(blog.diagnosis).toEqual({ ok: true, problems: [], checkedAt: expect.any(String) });
    const bad = await c.ok(add("bad"), { input: "abcd efgh ijkl mnop qrst uvwx\n" });
    expect(bad).toMatch(/added\nerror unauthorized: .*\n {2}fix: Create an application password/);
    expect(bad).toContain("see: docs/cms.md#unauthorized");
    const list = await c.ok(["cms", "list", "--account", "fleet"]);
    expect(list).toMatch(/ID +NAME +URL +CORE +UPDATES +CONNECTION/);
    expect(list).toMatch(/blog .* ok/);
    expect(list).toMatch(/bad .* unauthorized/);
    expect(await c.ok(["cms", "diagnose", blog.id])).toBe("connection: ok\n");
    const badId = JSON.parse(
      await c.ok(["--json", "cms", "list", "--account", "fleet"]),
    ).items.find((s: SiteJson) => s.name === "bad").id;
    const diagnosed = await c.run(["cms", "diagnose", badId]);
    expect(diagnosed.code).toBe(1);
    expect(diagnosed.stdout).toMatch(/^error unauthorized: WordPress refused/);
    expect(await c.ok(["cms", "updates", blog.id])).toBe("(none)\n");
    expect(await c.ok(["cms", "update", blog.id, "--core"])).toMatch(/^upgrade task \S+ queued\n$/);
    expect(await c.ok(["cms", "refresh", blog.id])).toMatch(/^refresh task \S+ queued\n$/);
    expect(await c.json(["cms", "remove", badId])).toEqual({ removed: badId });
    // fourteen CLI processes one after another: seconds each on a loaded machine
  }, 240_000);

  it("refuses hostile values naming the option, adding nothing", async () => {
    const password = { input: `${site.admin.applicationPassword}\n` };
    const cases: [string[], RegExp][] = [
      [add("x", "file:///etc/passwd"), /^steward: --url: /],
      [add("x", "https://user:pw@blog.example.com"), /^steward: --url: /],
      [add("x", `http://127.0.0.1:${8080}`), /^steward: --url: .*panel/],
      [add("x", "http://169.254.169.254/"), /^steward: --url: /],
      [add("x\ny"), /^steward: --name: /],
      [[...add("x"), "--timezone", "Mars/Olympus"], /^steward: --timezone: /],
      [[...add("x").slice(0, -4), "--user", "a`b", "--timezone", "UTC"], /^steward: --user: /],
      [["cms", "update", "cms_x", "--plugin", "../x"], /^steward: --plugin: /],
      [["cms", "update", "cms_x", "--theme", "a;b"], /^steward: --theme: /],
      [["cms", "update", "cms_x", "--extension", "com_x`;--"], /^steward: --extension: /],
      [["cms", "update", "cms_x"], /^steward: --core, --plugin, --theme or --extension/],
      [["cms", "show", "' or 1=1--"], /^steward: <id>: /],
      // the hosted link: both ids or neither, none that is not the account's
      [[...add("x"), "--site", "a;b", "--backup-plan", "bkp_x"], /^steward: --site: /],
      [[...add("x"), "--site", "site_x"], /^steward: --backup-plan: .*give both/],
      [
        [...add("x"), "--site", "site_missing", "--backup-plan", "bkp_missing"],
        /^steward: --site: no such site in this account/,
      ],
      [
        ["cms", "link", "cms_x", "--site", "s", "--backup-plan", "a`b"],
        /^steward: --backup-plan: /,
      ],
      [["cms", "link", "cms_x", "--unlink", "--site", "site_x"], /^steward: --unlink: /],
      [["cms", "link", "cms_x"], /^steward: --site: give --site and --backup-plan/],
      [
        ["cms", "link", "cms_x", "--site", "no.such.site", "--backup-plan", "bkp_x"],
        /^steward: --site: no site named no\.such\.site/,
      ],
    ];
    // side by side: each is a process of its own, and a loaded machine starts them slowly
    const said = await Promise.all(cases.map(([args]) => c.fails(args, 2, password)));
    for (const [i, line] of said.entries()) expect(line).toMatch(cases[i]?.[1] ?? /never/);
    expect(await c.fails(add("x"), 2, { input: "abc';--\n" })).toMatch(/^steward: <stdin>: /);
    const names = JSON.parse(await c.ok(["--json", "cms", "list", "--account", "fleet"])).items.map(
      (s: SiteJson) => s.name,
    );
    expect(names).not.toContain("x");
  }, 180_000);
});
