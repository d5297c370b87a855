// Tenants on one node, attacked the way it was done: PHP sites on a real nginx and PHP-FPM,
// as root with real system users. Site B keeps a secret; site A's code (process execution
// off, the default) and site E's code (process execution allowed, as a tenant with a shell
// would have) try symbolic links, processes, B's files by path, writing into B's home and
// B's PHP socket. Every attempt fails and the secret never appears in an answer.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSiteNode, type TestNode, testUser } from "../../testing/node.ts";
import { groupId } from "./dirs.ts";
import { HOME_MODE } from "./stage.ts";

const sites = await startSiteNode({ php: true });
const node = sites.php ? sites.node : null;
const SECRET = `b-secret-${randomBytes(8).toString("hex")}`;

afterAll(sites.stop);

describe.skipIf(!node)("PHP sites sharing a node", () => {
  const n = node as TestNode;
  const users = { a: testUser(), b: testUser(), e: testUser() };
  const home = (id: string) => join(n.config.sitesRoot, id);
  const sock = (id: string) => join(n.config.phpFpm.socketDir, `steward-site-${id}.sock`);
  const get = async (host: string, path: string) => {
    const r = await n.nginx.request(host, path);
    expect(r.body).not.toContain(SECRET);
    expect(r.body).not.toContain("root:x:0:0");
    return r;
  };
  /** writes a file in a site's home as if its user had (owner and group its own) */
  const put = (site: "a" | "b" | "e", rel: string, content: string) => {
    const uid = Number(execFileSync("id", ["-u", users[site]]).toString());
    const gid = Number(execFileSync("id", ["-g", users[site]]).toString());
    const path = join(home(site), rel);
    mkdirSync(join(path, ".."), { recursive: true });
    for (let d = join(path, ".."); d !== home(site); d = join(d, "..")) chownSync(d, uid, gid);
    writeFileSync(path, content, { mode: 0o644 });
    chownSync(path, uid, gid);
  };

  beforeAll(async () => {
    for (const [id, allow] of [
      ["a", false],
      ["b", false],
      ["e", true],
    ] as const) {
      const r = await n.apply({
        id,
        kind: "php",
        domains: [`${id}.test`],
        user: users[id],
        phpAllowExec: allow,
      });
      expect(r.error).toBeUndefined();
    }
    put("b", "public/wp-config.php", `<?php define('DB_PASSWORD', '${SECRET}');\n`);
    put("b", "public/wp-config.php.bak", `define('DB_PASSWORD', '${SECRET}');\n`);
    put("b", "private/secret.txt", SECRET);
    // B's own name serves B's own (careless) backup: nginx can read it, only isolation stops A
    expect((await n.nginx.request("b.test", "/wp-config.php.bak")).body).toContain(SECRET);
  });

  it("gives homes to their user only: nginx may go through, other sites get nothing", async () => {
    expect(statSync(n.config.sitesRoot).mode & 0o777).toBe(0o711);
    const nginxGid = await groupId(n.config.nginx.group);
    for (const id of ["a", "b", "e"]) {
      const s = statSync(home(id));
      expect(s.mode & 0o777).toBe(HOME_MODE);
      expect(s.gid).toBe(nginxGid);
    }
    const as = (user: string, argv: string[]) =>
      execFileSync("runuser", ["-u", user, "--", ...argv], { stdio: "pipe" });
    expect(() => as(n.config.nginx.user, ["ls", home("b")])).toThrow(/Permission denied/);
    expect(() => as(users.a, ["cat", join(home("b"), "public/wp-config.php.bak")])).toThrow(
      /Permission denied/,
    );
  });

  it("refuses process execution, B's files, B's home and B's socket to A's PHP", async () => {
    const b = home("b");
    // the second time from a directory whose .user.ini tries to lift the limits
    const ini = 'open_basedir = /\ndisable_functions =\nhighlight.comment = "#0ff1ce"\n';
    put("a", "public/in/.user.ini", ini);
    put("a", "public/in/ini.php", `<?php echo ini_get("highlight.comment");`);
    expect((await get("a.test", "/in/ini.php")).body).toBe("#0ff1ce"); // PHP reads the file
    for (const dir of ["", "/in"]) {
      put("a", `public${dir}/attack.php`, attackScript(b, sock("b"), join(home("a"), "public")));
      const r = await get("a.test", `${dir}/attack.php`);
      expect(r.status).toBe(200);
      const out = JSON.parse(r.body) as Record<string, string>;
      expect(Object.keys(out)).toHaveLength(13);
      for (const [attempt, result] of Object.entries(out))
        expect(result, `${dir} ${attempt}`).toMatch(/^(undefined function|false)$/);
    }
    expect(readdirSync(b)).not.toContain("pwned.txt");
    expect((await get("a.test", "/x.txt")).status).toBe(404);
  });

  it("serves no link a static site's user made to another site's file", async () => {
    const user = testUser();
    expect((await n.apply({ id: "s", domains: ["s.test"], user })).error).toBeUndefined();
    const link = join(home("s"), "public", "b.txt");
    symlinkSync(join(home("b"), "public/wp-config.php.bak"), link);
    const uid = Number(execFileSync("id", ["-u", user]).toString());
    lchownSync(link, uid, uid);
    expect((await get("s.test", "/b.txt")).status).toBe(404);
  });

  it("lets a site that allows it run processes, still as its own user only", async () => {
    const b = home("b");
    const cmds = [
      "/usr/bin/id -un",
      `/bin/cat ${b}/public/wp-config.php.bak`,
      `/bin/ls ${b}`,
      `/usr/bin/touch ${b}/public/pwned.txt`,
      // a hard link is no link to nginx: Linux refuses one to a file the user does not own
      // (fs.protected_hardlinks, on by default), another site's files are out of reach anyway
      `/bin/ln /etc/passwd ${home("e")}/public/hard.txt`,
    ];
    put(
      "e",
      "public/run.php",
      `<?php foreach (${phpList(cmds)} as $c) echo shell_exec("$c 2>&1");`,
    );
    const r = await get("e.test", "/run.php");
    expect(r.body.split("\n")[0]).toBe(users.e);
    expect(r.body.match(/Permission denied/g)).toHaveLength(3);
    expect(r.body).toMatch(/hard link .* Operation not permitted/);
    expect((await get("e.test", "/hard.txt")).status).toBe(404);
    expect(readdirSync(join(b, "public"))).not.toContain("pwned.txt");
  });

  it("serves no link to another owner's file, only the site's own links", async () => {
    const b = home("b");
    const links: [string, string][] = [
      [`${b}/public/wp-config.php.bak`, "b.txt"],
      [`${b}/private/secret.txt`, "s.txt"],
      [`${b}/public`, "bdir"],
      ["/etc/passwd", "passwd.txt"],
      ["own.txt", "mine.txt"],
    ];
    put("e", "public/own.txt", "e's own file");
    const cmds = links.map(([to, name]) => `/bin/ln -s ${to} ${home("e")}/public/${name}`);
    put("e", "public/links.php", `<?php foreach (${phpList(cmds)} as $c) shell_exec($c);`);
    expect((await get("e.test", "/links.php")).status).toBe(200);
    for (const [, name] of links)
      expect(lstatSync(join(home("e"), "public", name)).isSymbolicLink()).toBe(true);
    // nginx refuses the link; the PHP site's fallback (/index.php, absent here) answers 404
    for (const path of ["/b.txt", "/s.txt", "/bdir/wp-config.php.bak", "/passwd.txt"])
      expect((await get("e.test", path)).status, path).toBe(404);
    const mine = await get("e.test", "/mine.txt");
    expect(mine.status).toBe(200);
    expect(mine.body).toBe("e's own file");
  });

  it("never runs PHP from an upload directory", async () => {
    const code = `<?php echo "ran", "-as-php";`;
    put("a", "public/ok.php", code);
    expect((await get("a.test", "/ok.php")).body).toBe("ran-as-php");
    for (const path of ["wp-content/uploads/2024/01/x.php", "uploads/x.php", "files/x.PHP"]) {
      put("a", `public/${path}`, code);
      const r = await get("a.test", `/${path}`);
      expect(r.status, path).toBe(403);
      expect(r.body).not.toContain("ran-as-php");
    }
  });

  it("keeps PHP's temp, upload and session files in the site's home", async () => {
    const tmp = join(home("a"), "tmp");
    put(
      "a",
      "public/session.php",
      `<?php session_start(); $_SESSION["x"] = 1; session_write_close();
echo json_encode([session_save_path(), ini_get("upload_tmp_dir"), sys_get_temp_dir(), session_id()]);`,
    );
    const [save, upload, temp, id] = JSON.parse((await get("a.test", "/session.php")).body);
    expect([save, upload, temp]).toEqual([tmp, tmp, tmp]);
    expect(readdirSync(tmp)).toContain(`sess_${id}`);
    expect(statSync(tmp).mode & 0o777).toBe(0o700);
  });

  it("a document root swapped for a link to another site's serves nothing of it", async () => {
    const e = home("e");
    const cmds = [`/bin/mv ${e}/public ${e}/old`, `/bin/ln -s ../b/public ${e}/public`];
    put("e", "public/swap.php", `<?php foreach (${phpList(cmds)} as $c) shell_exec($c);`);
    expect((await get("e.test", "/swap.php")).status).toBe(200);
    expect(statSync(join(e, "old")).isDirectory()).toBe(true);
    expect(lstatSync(join(e, "public")).isSymbolicLink()).toBe(true);
    expect((await get("e.test", "/wp-config.php.bak")).status).toBe(404);
  });

  it("moves a home made by an older agent (0750, sites root 0755) to the new modes", async () => {
    chmodSync(home("b"), 0o750);
    chmodSync(n.config.sitesRoot, 0o755);
    const r = await n.apply({ id: "b", kind: "php", domains: ["b.test"], user: users.b });
    expect(r).toMatchObject({ status: "ok", changed: true });
    expect(statSync(home("b")).mode & 0o777).toBe(HOME_MODE);
    expect(statSync(n.config.sitesRoot).mode & 0o777).toBe(0o711);
  });
});

const phpList = (items: string[]) => `[${items.map((s) => JSON.stringify(s)).join(", ")}]`;

/** A's attempts, each reported as "undefined function", "false" or what it got. */
function attackScript(b: string, bSocket: string, aRoot: string): string {
  const tries: Record<string, string> = {
    shell_exec: `shell_exec("id")`,
    exec: `exec("id")`,
    system: `system("id")`,
    passthru: `passthru("id")`,
    proc_open: `proc_open("id", [], $p)`,
    popen: `popen("id", "r")`,
    putenv: `putenv("LD_PRELOAD=/tmp/x.so")`,
    readB: `@file_get_contents("${b}/public/wp-config.php")`,
    listB: `@scandir("${b}")`,
    writeB: `@file_put_contents("${b}/pwned.txt", "x")`,
    linkB: `@symlink("${b}/public/wp-config.php", "${aRoot}/x.txt")`,
    passwd: `@file_get_contents("/etc/passwd")`,
    socketB: `@stream_socket_client("unix://${bSocket}")`,
  };
  const body = Object.entries(tries).map(
    ([k, expr]) =>
      `try { $r = ${expr}; $out["${k}"] = $r === false ? "false" : "got " . print_r($r, true); } catch (\\Error $e) { $out["${k}"] = str_contains($e->getMessage(), "undefined function") ? "undefined function" : $e->getMessage(); }`,
  );
  return `<?php $out = [];\n${body.join("\n")}\necho json_encode($out);\n`;
}
