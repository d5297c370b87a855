// Hostname takeover on a shared node, against a real nginx: other server blocks (not made by
// Steward) serve names exactly, by wildcard, by a leading dot, by regex and from an included
// snippet; another tenant's Steward site serves one too. A site asking for any of these names
// is refused before anything goes live, the refusal names the other file (never another
// tenant's site), and the other vhost keeps serving its names.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSiteNode, type TestNode, testUser } from "../../testing/node.ts";
import { directives, servedNames, serves } from "./served.ts";

const { node, stop } = await startSiteNode();

afterAll(stop);

describe.skipIf(!node)("names other server blocks serve", () => {
  const n = node as TestNode;
  // "zz-" loads after Steward's files: with nginx's first-wins rule the site would win
  const legacy = join(n.nginx.sitesDir, "zz-legacy.conf");
  const snippet = join(n.dir, "names.inc");
  const listen = `listen ${n.nginx.listen}:${n.nginx.port};`;

  beforeAll(async () => {
    writeFileSync(snippet, "server_name snip.test;\n");
    writeFileSync(
      legacy,
      [
        `server { ${listen} server_name victim.test "*.wild.test" .dot.test ~^re\\d+\\.test$;`,
        '  return 200 "legacy\\n"; }',
        `server { ${listen} include ${snippet}; return 200 "snippet\\n"; }`,
        "# a catch-all by regex claims no name in particular",
        `server { ${listen} server_name ~. ; return 200 "catch-all\\n"; }`,
        "",
      ].join("\n"),
    );
    await n.nginx.reload();
  });

  const refused = async (id: string, names: { domains: string[]; aliases?: string[] }) => {
    const r = await n.apply({ id, ...names, user: testUser() });
    expect(r).toMatchObject({ status: "failed", changed: false, error: { code: "NAME_TAKEN" } });
    return r.error?.message ?? "";
  };

  it("refuses names served exactly, by wildcard, by a dot, by regex, from a snippet", async () => {
    const cases: [string, string, string][] = [
      ["victim.test", legacy, "victim.test"],
      ["a.wild.test", legacy, "*.wild.test"],
      ["dot.test", legacy, ".dot.test"],
      ["deep.sub.dot.test", legacy, ".dot.test"],
      ["re42.test", legacy, "~^re\\d+\\.test$"],
      ["snip.test", snippet, "snip.test"],
    ];
    for (const [i, [name, file, pattern]] of cases.entries()) {
      const message = await refused(`take${i}`, { domains: [name] });
      expect(message).toBe(
        `${name} is already served on this node by ${file} (server_name ${pattern}): remove the name there first, or choose another`,
      );
    }
    // nothing of the refused sites was left, and the other vhost still answers for its names
    expect((await n.nginx.request("victim.test")).body).toBe("legacy\n");
    expect((await n.nginx.request("a.wild.test")).body).toBe("legacy\n");
    expect((await n.nginx.request("re42.test")).body).toBe("legacy\n");
    expect((await n.nginx.request("snip.test")).body).toBe("snippet\n");
  });

  it("checks aliases and redirected www names too", async () => {
    const alias = await refused("take-alias", {
      domains: ["free1.test"],
      aliases: ["victim.test"],
    });
    expect(alias).toMatch(/^victim\.test is already served/);
    const www = await n.apply({
      id: "take-www",
      domains: ["wild.test"],
      redirect: "to-www",
      user: testUser(),
    });
    expect(www.error?.message).toMatch(
      /^www\.wild\.test is already served .* \(server_name \*\.wild\.test\)/,
    );
  });

  it("says another site uses a name without saying which, and keeps the dump out of the result", async () => {
    const owner = { id: "tenant-a-secret", domains: ["shared.test"], aliases: ["hidden-a.test"] };
    const user = testUser();
    expect((await n.apply({ ...owner, user })).error).toBeUndefined();
    const r = await n.apply({ id: "tenant-b", domains: ["shared.test"], user: testUser() });
    expect(r.error).toEqual({
      code: "NAME_TAKEN",
      message:
        "shared.test is already used by another site on this node: remove the name there first, or choose another",
    });
    const text = JSON.stringify(r);
    for (const secret of ["tenant-a-secret", "hidden-a.test", "victim.test"])
      expect(text).not.toContain(secret);
    expect(r.steps.find((s) => s.name === "test nginx configuration")?.stdout).toMatch(
      /^\[\d+ bytes, not recorded\]$/,
    );
    // the owner changes its own site freely (its own file is not "another")
    const again = await n.apply({ ...owner, aliases: ["hidden-a2.test"], user });
    expect(again).toMatchObject({ status: "ok", changed: true });
    expect((await n.nginx.request("shared.test")).status).toBe(200);
  });

  it("a name nobody serves is fine, despite the default server and a catch-all regex", async () => {
    const r = await n.apply({ id: "fresh", domains: ["fresh.test"], user: testUser() });
    expect(r.error).toBeUndefined();
    expect((await n.nginx.request("fresh.test")).status).toBe(200);
  });
});

describe("reading server_name from nginx -T", () => {
  it("tokenizes quotes, escapes, comments, variables and blocks as nginx does", () => {
    const conf = [
      "server { server_name \"a.test\" 'b.test' c\\.test; # server_name not.test;",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: nginx's own variable syntax
      '  set $x ${host}.y; location / { return 200 "}"; } }',
    ].join("\n");
    expect(directives(conf)).toEqual([
      ["server"],
      ["server_name", "a.test", "b.test", "c\\.test"],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: nginx's own variable syntax
      ["set", "$x", "${host}.y"],
      ["location", "/"],
      ["return", "200", "}"],
    ]);
  });

  it("attributes each name to the file it is written in", () => {
    const dump = [
      "# configuration file /etc/nginx/nginx.conf:",
      "http { server { server_name _; } include /etc/nginx/conf.d/*.conf; }",
      "",
      "# configuration file /etc/nginx/conf.d/x.conf:",
      "server { server_name x.test www.x.test; }",
      "",
    ].join("\n");
    expect(servedNames(dump)).toEqual([
      { file: "/etc/nginx/nginx.conf", pattern: "_" },
      { file: "/etc/nginx/conf.d/x.conf", pattern: "x.test" },
      { file: "/etc/nginx/conf.d/x.conf", pattern: "www.x.test" },
    ]);
  });

  it("matches names the way nginx does", () => {
    const yes: [string, string][] = [
      ["A.Test", "a.test"],
      ["*.a.test", "b.a.test"],
      [".a.test", "a.test"],
      ["www.a.*", "www.a.org"],
      ["~^(?P<sub>.+)\\.a\\.test$", "x.a.test"],
      ["$hostname", "host.example"],
    ];
    const no: [string, string][] = [
      ["*.a.test", "a.test"],
      ["_", "a.test"],
      ["", "a.test"],
      ["www.a.*", "a.org"],
      ["~^re\\d+$", "rex"],
      ["~(?<bad", "a.test"],
    ];
    for (const [p, name] of yes) expect(serves(p, name, "host.example"), p).toBe(true);
    for (const [p, name] of no) expect(serves(p, name, "host.example"), p).toBe(false);
  });
});
