// The account layout against a real nginx and PHP-FPM, as root with real system users made
// by sysusers.apply: a PHP site of account A lives in A's main user's home and its PHP runs
// as A's CGI user. A script of the site tries to change its own code, plant new code, write
// outside uploads/ and read account B's site; only uploads/ and PHP's temp files take writes,
// a real multipart upload lands in uploads/, and PHP put there is never run.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, statSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import type { SysUsersApplyInput } from "@steward/contracts/hosting";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAccountNode, type TestNode } from "../../testing/node.ts";
import { sysUsersApply } from "../sysusers/apply.ts";
import { passwdEntry } from "./dirs.ts";
import { siteRemove } from "./remove.ts";

const tag = randomBytes(3).toString("hex");
const A = `stwtest-pa${tag}`;
const B = `stwtest-pb${tag}`;
const layout = await startAccountNode("stw-accounts-", [A, B]);
const { homeRoot, node } = layout;
const SECRET = `b-secret-${randomBytes(8).toString("hex")}`;

afterAll(() => layout.stop());

const account = (main: string): SysUsersApplyInput => ({
  id: `acc_${main.replaceAll("-", "_")}`,
  present: true,
  main: { name: main, shell: "none", ftp: false, keys: [], passwordHash: null },
  secondary: [],
  remove: [],
  deleteFiles: false,
});

/** POSTs a multipart upload with the given Host header. */
function upload(n: TestNode, host: string, path: string, name: string, content: string) {
  const boundary = `----stw${randomBytes(6).toString("hex")}`;
  const body = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="${name}"\r\n` +
      `Content-Type: application/octet-stream\r\n\r\n${content}\r\n--${boundary}--\r\n`,
  );
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: n.config.nginx.listenAddress,
        port: n.config.nginx.httpPort,
        path,
        method: "POST",
        headers: {
          host,
          "content-type": `multipart/form-data; boundary=${boundary}`,
          "content-length": body.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe.skipIf(!node)("PHP sites in the account layout", () => {
  const n = node as TestNode;
  const siteHome = (main: string, id: string) => join(homeRoot, "home", main, "home", "web", id);
  const docRoot = (main: string, id: string) => join(siteHome(main, id), "public");
  /** writes a file as the main user would over SFTP (its owner and group) */
  const put = async (main: string, path: string, content: string) => {
    const u = await passwdEntry(main);
    writeFileSync(path, content, { mode: 0o644 });
    chownSync(path, u?.uid ?? -1, u?.gid ?? -1);
  };
  const get = async (host: string, path: string) => {
    const r = await n.nginx.request(host, path);
    expect(r.body).not.toContain(SECRET);
    return r;
  };

  beforeAll(async () => {
    for (const main of [A, B]) {
      const r = await n.run(sysUsersApply, account(main));
      expect(r.error).toBeUndefined();
    }
    for (const [id, main] of [
      ["pa", A],
      ["pb", B],
    ] as const) {
      const r = await n.apply({
        id,
        kind: "php",
        domains: [`${id}.test`],
        user: main,
        account: { main },
      });
      expect(r.error).toBeUndefined();
      expect(r.status).toBe("ok");
    }
    await put(B, join(docRoot(B, "pb"), "config.php"), `<?php $pw = '${SECRET}';\n`);
    await put(A, join(docRoot(A, "pa"), "index.php"), "<?php echo 'site a';\n");
  });

  it("puts the site in the main user's home: files main's, uploads and tmp the CGI user's", async () => {
    const main = await passwdEntry(A);
    const cgi = await passwdEntry(`${A}-cgi`);
    const mode = (p: string) => {
      const s = statSync(p);
      return [s.uid, s.gid, s.mode & 0o7777];
    };
    expect(mode(siteHome(A, "pa"))).toEqual([main?.uid, main?.gid, 0o2750]);
    expect(mode(docRoot(A, "pa"))).toEqual([main?.uid, main?.gid, 0o2750]);
    expect(mode(join(docRoot(A, "pa"), "uploads"))).toEqual([main?.uid, cgi?.gid, 0o2775]);
    expect(mode(join(siteHome(A, "pa"), "tmp"))).toEqual([cgi?.uid, cgi?.gid, 0o700]);
    const pool = execFileSync("cat", [join(n.config.phpFpm.poolDir, "steward-site-pa.conf")], {
      encoding: "utf8",
    });
    expect(pool).toContain(`user = ${A}-cgi\n`);
    expect(pool).toContain(`php_admin_value[open_basedir] = ${siteHome(A, "pa")}/\n`);
    expect((await get("pa.test", "/index.php")).body).toBe("site a");
    // a second identical apply changes nothing
    const again = await n.apply({
      id: "pa",
      kind: "php",
      domains: ["pa.test"],
      user: A,
      account: { main: A },
    });
    expect(again.changed).toBe(false);
  });

  it("runs PHP as the CGI user: it cannot change the site's code nor write outside uploads/", async () => {
    const root = docRoot(A, "pa");
    const script = `<?php
$r = [];
$try = function ($name, $f) use (&$r) { $v = @$f(); $r[$name] = $v === false ? "false" : (string) $v; };
$try("user", fn () => posix_getpwuid(posix_geteuid())["name"]);
$try("modify own index.php", fn () => file_put_contents(__DIR__ . "/index.php", "<?php echo 'owned';"));
$try("create new.php", fn () => file_put_contents(__DIR__ . "/new.php", "<?php echo 1;"));
$try("chmod own index.php", fn () => chmod(__DIR__ . "/index.php", 0666));
$try("delete own index.php", fn () => unlink(__DIR__ . "/index.php"));
$try("write the site's home", fn () => file_put_contents(dirname(__DIR__) . "/x.txt", "x"));
$try("write the account's home", fn () => file_put_contents(dirname(__DIR__, 3) . "/x.txt", "x"));
$try("read B's site", fn () => file_get_contents(${JSON.stringify(join(docRoot(B, "pb"), "config.php"))}));
$try("write uploads", fn () => file_put_contents(__DIR__ . "/uploads/ok.txt", "uploaded"));
$try("write tmp", fn () => file_put_contents(sys_get_temp_dir() . "/t.txt", "t"));
$try("plant PHP in uploads", fn () => file_put_contents(__DIR__ . "/uploads/evil.php", "<?php echo 'EXECUTED';"));
echo json_encode($r);
`;
    await put(A, join(root, "attack.php"), script);
    const r = await get("pa.test", "/attack.php");
    expect(r.status).toBe(200);
    const out = JSON.parse(r.body) as Record<string, string>;
    expect(out).toEqual({
      user: `${A}-cgi`,
      "modify own index.php": "false",
      "create new.php": "false",
      "chmod own index.php": "false",
      "delete own index.php": "false",
      "write the site's home": "false",
      "write the account's home": "false",
      "read B's site": "false",
      "write uploads": "8",
      "write tmp": "1",
      "plant PHP in uploads": "22",
    });
    expect((await get("pa.test", "/index.php")).body).toBe("site a");
    expect(existsSync(join(root, "new.php"))).toBe(false);
    const cgi = await passwdEntry(`${A}-cgi`);
    expect(statSync(join(root, "uploads", "ok.txt")).uid).toBe(cgi?.uid);
    expect((await get("pa.test", "/uploads/ok.txt")).body).toBe("uploaded");
    // PHP put in uploads/ is never run: 403, and its source is not what answers either
    const evil = await get("pa.test", "/uploads/evil.php");
    expect(evil.status).toBe(403);
    expect(evil.body).not.toContain("EXECUTED");
    expect((await get("pa.test", "/uploads/EVIL.PHP")).status).toBe(403);
  });

  it("takes a real multipart upload into uploads/ (through PHP's temp directory)", async () => {
    const root = docRoot(A, "pa");
    await put(
      A,
      join(root, "upload.php"),
      `<?php $f = $_FILES["f"]; echo move_uploaded_file($f["tmp_name"], __DIR__ . "/uploads/" . basename($f["name"])) ? "moved" : "refused";`,
    );
    const r = await upload(n, "pa.test", "/upload.php", "photo.jpg", "JPEGDATA");
    expect(r.body).toBe("moved");
    expect((await get("pa.test", "/uploads/photo.jpg")).body).toBe("JPEGDATA");
    // nor into the code: the same upload aimed at the document root fails
    await put(
      A,
      join(root, "upload2.php"),
      `<?php $f = $_FILES["f"]; echo @move_uploaded_file($f["tmp_name"], __DIR__ . "/shell.php") ? "moved" : "refused";`,
    );
    expect((await upload(n, "pa.test", "/upload2.php", "shell.php", "<?php 1;")).body).toBe(
      "refused",
    );
    expect(existsSync(join(root, "shell.php"))).toBe(false);
  });

  it("keeps accounts apart: A's CGI user cannot read B's files, whatever PHP's limits", () => {
    const as = (user: string, argv: string[]) =>
      execFileSync("setpriv", ["--reuid", user, "--regid", user, "--init-groups", ...argv], {
        stdio: "pipe",
      });
    expect(() => as(`${A}-cgi`, ["cat", join(docRoot(B, "pb"), "config.php")])).toThrow(
      /Permission denied/,
    );
    expect(() => as(`${A}-cgi`, ["ls", siteHome(B, "pb")])).toThrow(/Permission denied/);
    // and cannot write A's own code either, with any program
    expect(() => as(`${A}-cgi`, ["touch", join(docRoot(A, "pa"), "index.php")])).toThrow(
      /Permission denied/,
    );
  });

  it("refuses a site of an account whose users are not on the node, changing nothing", async () => {
    const r = await n.apply({
      id: "px",
      kind: "php",
      domains: ["px.test"],
      user: "stwtest-nobody1",
      account: { main: "stwtest-nobody1" },
    });
    expect(r.error?.code).toBe("USER_NOT_ALLOWED");
    expect(existsSync(join(n.config.nginx.sitesDir, "steward-site-px.conf"))).toBe(false);
  });

  it("chooses the PHP version: the node's own, and refuses one it does not have", async () => {
    const base = { id: "pa", kind: "php" as const, domains: ["pa.test"], user: A };
    const same = await n.apply({
      ...base,
      account: { main: A },
      phpVersion: n.config.phpFpm.version,
    });
    expect(same.error).toBeUndefined();
    expect(same.changed).toBe(false);
    const pool = join(n.config.phpFpm.poolDir, "steward-site-pa.conf");
    const before = statSync(pool).mtimeMs;
    const missing = await n.apply({ ...base, account: { main: A }, phpVersion: "5.6" });
    expect(missing.error?.code).toBe("CONFIG");
    expect(missing.error?.message).toContain("PHP 5.6 is not installed on this node");
    expect(statSync(pool).mtimeMs).toBe(before);
    expect((await get("pa.test", "/index.php")).body).toBe("site a");
  });

  it("removes the site and its files from the account's home, leaving the account", async () => {
    const r = await n.run(siteRemove, {
      id: "pb",
      user: B,
      keepFiles: false,
      account: { main: B },
    });
    expect(r.error).toBeUndefined();
    expect(existsSync(siteHome(B, "pb"))).toBe(false);
    expect(existsSync(join(homeRoot, "home", B, "home"))).toBe(true);
    expect((await n.nginx.request("pb.test", "/config.php")).status).not.toBe(200);
  });
});
