// Directory protection and PHP settings on a real nginx and PHP-FPM: a protected path asks for
// credentials (its PHP too), the rest of the site stays open, the htpasswd file is root's and
// outside the home; php.ini values show in the site's own PHP; hostile values write nothing.
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { siteApplyInput } from "@steward/contracts/agent";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSiteNode, type TestNode, testUser } from "../../testing/node.ts";
import { groupId } from "./dirs.ts";

const sites = await startSiteNode({ php: true });
const node = sites.php ? sites.node : null;
afterAll(sites.stop);

/** a bcrypt line as Apache's htpasswd writes it ($2y$), the panel's form is $2b$ */
const htpasswd = (user: string, pass: string) =>
  execFileSync("htpasswd", ["-nbB", "-C", "5", user, pass]).toString().trim().split(":")[1] ?? "";
const basic = (user: string, pass: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`,
});

describe.skipIf(!node)("directory protection and PHP settings", () => {
  const n = node as TestNode;
  const user = testUser();
  const host = "p.test";
  const docRoot = join(n.config.sitesRoot, "p", "public");
  const authDir = join(n.config.sitesRoot, ".steward", "auth", "p");
  const hashA = htpasswd("alice", "alice-secret-1");
  const hashB = htpasswd("bob", "bob-secret-22").replace(/^\$2y\$/, "$2b$");
  const site = {
    id: "p",
    kind: "php" as const,
    domains: [host],
    user,
    protection: [
      {
        path: "/private",
        users: [
          { name: "alice", hash: hashA },
          { name: "bob", hash: hashB },
        ],
      },
    ],
    php: {
      memory_limit: "200M",
      upload_max_filesize: "33M",
      post_max_size: "34M",
      max_execution_time: 77,
      display_errors: true,
      "date.timezone": "Europe/Paris",
    },
  };
  const put = (rel: string, content: string) => {
    const file = join(docRoot, rel);
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, content);
    const uid = Number(execFileSync("id", ["-u", user]).toString());
    chownSync(join(file, ".."), uid, uid);
    chownSync(file, uid, uid);
  };

  beforeAll(async () => {
    const r = await n.apply(site);
    expect(r.error, JSON.stringify(r.error)).toBeUndefined();
    put("private/index.html", "members only");
    put("private/who.php", "<?php echo 'php-ran';");
    put("open.html", "for everyone");
    put(
      "ini.php",
      "<?php foreach (['memory_limit','upload_max_filesize','post_max_size','max_execution_time','display_errors','date.timezone'] as $k) echo $k, '=', ini_get($k), \"\\n\";",
    );
  });

  it("answers 401 without credentials on a protected path, 200 with them, and leaves the rest open", async () => {
    const no = await n.nginx.request(host, "/private/");
    expect(no.status).toBe(401);
    expect(no.headers["www-authenticate"]).toContain("Basic");
    expect(no.body).not.toContain("members only");
    expect((await n.nginx.request(host, "/private/", basic("alice", "wrong-one"))).status).toBe(
      401,
    );
    const ok = await n.nginx.request(host, "/private/", basic("alice", "alice-secret-1"));
    expect(ok.status).toBe(200);
    expect(ok.body).toContain("members only");
    // the panel's bcrypt form ($2b$) is read by nginx as well
    expect((await n.nginx.request(host, "/private/", basic("bob", "bob-secret-22"))).status).toBe(
      200,
    );
    const open = await n.nginx.request(host, "/open.html");
    expect(open.status).toBe(200);
    expect(open.body).toBe("for everyone");
  });

  it("asks for credentials before running PHP below a protected path", async () => {
    const no = await n.nginx.request(host, "/private/who.php");
    expect(no.status).toBe(401);
    expect(no.body).not.toContain("php-ran");
    const ok = await n.nginx.request(host, "/private/who.php", basic("alice", "alice-secret-1"));
    expect(ok.status).toBe(200);
    expect(ok.body).toBe("php-ran");
  });

  it("keeps the htpasswd file root's, readable by nginx's group only, outside the site's home", async () => {
    const file = join(authDir, "0.htpasswd");
    const s = statSync(file);
    expect(s.mode & 0o777).toBe(0o640);
    expect(s.uid).toBe(0);
    expect(s.gid).toBe(await groupId(n.config.nginx.group));
    expect(readFileSync(file, "utf8")).toBe(`alice:${hashA}\nbob:${hashB}\n`);
    expect(file.startsWith(join(n.config.sitesRoot, "p"))).toBe(false);
  });

  it("sets the site's php.ini values in its own pool", async () => {
    const r = await n.nginx.request(host, "/ini.php");
    expect(r.status).toBe(200);
    expect(r.body).toContain("memory_limit=200M\n");
    expect(r.body).toContain("upload_max_filesize=33M\n");
    expect(r.body).toContain("post_max_size=34M\n");
    expect(r.body).toContain("max_execution_time=77\n");
    expect(r.body).toContain("display_errors=1\n");
    expect(r.body).toContain("date.timezone=Europe/Paris\n");
    const pool = readFileSync(join(n.config.phpFpm.poolDir, "steward-site-p.conf"), "utf8");
    expect(pool).toContain("php_admin_flag[display_errors] = on\n");
    expect(pool).toContain("php_admin_value[memory_limit] = 200M\n");
  });

  it("refuses hostile paths, users, hashes and settings before writing anything", async () => {
    const conf = join(n.config.nginx.sitesDir, "steward-site-p.conf");
    const before = readFileSync(conf, "utf8");
    const pool = readFileSync(join(n.config.phpFpm.poolDir, "steward-site-p.conf"), "utf8");
    const bad = [
      { protection: [{ path: "/a;deny all", users: [{ name: "x", hash: hashA }] }] },
      { protection: [{ path: "/../etc", users: [{ name: "x", hash: hashA }] }] },
      { protection: [{ path: "/a{b}", users: [{ name: "x", hash: hashA }] }] },
      { protection: [{ path: "/", users: [{ name: "x", hash: hashA }] }] },
      { protection: [{ path: "/a\nb", users: [{ name: "x", hash: hashA }] }] },
      { protection: [{ path: `/${"a".repeat(260)}`, users: [{ name: "x", hash: hashA }] }] },
      { protection: [{ path: "/x", users: [{ name: "ev:il", hash: hashA }] }] },
      { protection: [{ path: "/x", users: [{ name: "x\nroot", hash: hashA }] }] },
      { protection: [{ path: "/x", users: [{ name: "x", hash: "plain-password" }] }] },
      { php: { memory_limit: "200M; evil" } },
      { php: { "date.timezone": "Mars/Olympus" } },
      { php: { disable_functions: "" } },
      { php: { auto_prepend_file: "/etc/passwd" } },
    ];
    for (const over of bad) {
      // the agent's route parses with the contract: refused, naming the field
      const parsed = siteApplyInput.safeParse({ ...site, outbound: undefined, ...over });
      expect(parsed.success, JSON.stringify(over)).toBe(false);
      expect(parsed.error?.issues[0]?.path[0]).toBe(Object.keys(over)[0]);
    }
    // and the render's alphabets refuse them again when the handler is called directly
    for (const over of bad.filter((b) => !JSON.stringify(b).includes("Mars"))) {
      const r = await n.apply({ ...site, ...over });
      expect(r.status, JSON.stringify(over)).toBe("failed");
      expect(r.error?.code, JSON.stringify(r.error)).toBe("OP_INPUT_INVALID");
    }
    expect(readFileSync(conf, "utf8")).toBe(before);
    expect(readFileSync(join(n.config.phpFpm.poolDir, "steward-site-p.conf"), "utf8")).toBe(pool);
    expect(existsSync(join(authDir, "1.htpasswd"))).toBe(false);
  });

  it("opens a path again when its protection goes, and removes its file", async () => {
    const r = await n.apply({ ...site, protection: [], php: {} });
    expect(r.error).toBeUndefined();
    expect((await n.nginx.request(host, "/private/")).status).toBe(200);
    expect(existsSync(join(authDir, "0.htpasswd"))).toBe(false);
    expect((await n.nginx.request(host, "/ini.php")).body).not.toContain("memory_limit=200M");
  });
});
