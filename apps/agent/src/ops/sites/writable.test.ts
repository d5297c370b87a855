import { randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  lchownSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import type { SysUsersApplyInput } from "@steward/contracts/hosting";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAccountNode, type TestNode, testUser } from "../../testing/node.ts";
import { sysUsersApply } from "../sysusers/apply.ts";
import { passwdEntry } from "./dirs.ts";

const A = `stwtest-wd${randomBytes(3).toString("hex")}`;
const layout = await startAccountNode("stw-writable-", [A]);
const { homeRoot, node } = layout;

afterAll(() => layout.stop());

const account: SysUsersApplyInput = {
  id: "acc_wd",
  present: true,
  main: { name: A, shell: "none", ftp: false, keys: [], passwordHash: null },
  secondary: [],
  remove: [],
  deleteFiles: false,
};

/** POSTs a one-file multipart upload to the site. */
function upload(n: TestNode, path: string, name: string, content: string) {
  const boundary = `----stw${randomBytes(6).toString("hex")}`;
  const body = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="${name}"\r\n` +
      `Content-Type: application/octet-stream\r\n\r\n${content}\r\n--${boundary}--\r\n`,
  );
  return new Promise<string>((resolve, reject) => {
    const req = request(
      {
        host: n.config.nginx.listenAddress,
        port: n.config.nginx.httpPort,
        path,
        method: "POST",
        headers: {
          host: "wd.test",
          "content-type": `multipart/form-data; boundary=${boundary}`,
          "content-length": body.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve(Buffer.concat(chunks).toString()));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** What WordPress's media upload does: its year/month directory, then move_uploaded_file. */
const UPLOAD_PHP = `<?php
$dir = __DIR__ . "/wp-content/uploads/2026/12";
@mkdir($dir, 0755, true);
$f = $_FILES["f"];
echo @move_uploaded_file($f["tmp_name"], $dir . "/" . basename($f["name"])) ? "moved" : "refused";
`;

describe.skipIf(!node)("writable directories of a site in the account layout", () => {
  const n = node as TestNode;
  const root = join(homeRoot, "home", A, "home", "web", "wd", "public");
  const conf = () => readFileSync(join(n.config.nginx.sitesDir, "steward-site-wd.conf"), "utf8");
  const apply = (writableDirs?: string[]) =>
    n.apply({
      id: "wd",
      kind: "php",
      domains: ["wd.test"],
      user: A,
      account: { main: A },
      ...(writableDirs ? { writableDirs } : {}),
    });
  const ids = async () => {
    const main = await passwdEntry(A);
    const cgi = await passwdEntry(`${A}-cgi`);
    return { main: main?.uid ?? -1, mainGid: main?.gid ?? -1, cgiGid: cgi?.gid ?? -1 };
  };
  const mode = (p: string) => {
    const s = statSync(p);
    return [s.uid, s.gid, s.mode & 0o7777];
  };
  /** as the main user would over SFTP: a directory of its code, a file, a link */
  const mkdirAs = async (path: string) => {
    const u = await ids();
    mkdirSync(path, { mode: 0o2750 });
    chmodSync(path, 0o2750);
    lchownSync(path, u.main, u.mainGid);
  };
  const put = async (path: string, content: string) => {
    const u = await ids();
    writeFileSync(path, content, { mode: 0o644 });
    lchownSync(path, u.main, u.mainGid);
  };
  const linkAs = async (target: string, path: string) => {
    const u = await ids();
    symlinkSync(target, path);
    lchownSync(path, u.main, u.mainGid);
  };

  beforeAll(async () => {
    expect((await n.run(sysUsersApply, account)).error).toBeUndefined();
    const r = await apply();
    expect(r.error).toBeUndefined();
    // WordPress's code as the account uploads it: wp-content/uploads there, not writable
    await mkdirAs(join(root, "wp-content"));
    await mkdirAs(join(root, "wp-content", "uploads"));
    await put(join(root, "upload.php"), UPLOAD_PHP);
  });

  it("uploads into wp-content/uploads only once the site lists it", async () => {
    const u = await ids();
    expect(await upload(n, "/upload.php", "x.jpg", "JPEG1")).toBe("refused");
    expect(existsSync(join(root, "wp-content/uploads/2026"))).toBe(false);
    expect(conf()).toContain("\n# steward-writable uploads\n");

    const r = await apply(["uploads", "wp-content/uploads", "images", "cache/my.app"]);
    expect(r.error).toBeUndefined();
    expect(r.changed).toBe(true);
    // the existing directory is given to the CGI user's group; missing ones are made, their
    // parents the main user's and not writable
    expect(mode(join(root, "wp-content/uploads"))).toEqual([u.main, u.cgiGid, 0o2775]);
    expect(mode(join(root, "wp-content"))).toEqual([u.main, u.mainGid, 0o2750]);
    expect(mode(join(root, "images"))).toEqual([u.main, u.cgiGid, 0o2775]);
    expect(mode(join(root, "cache"))).toEqual([u.main, u.mainGid, 0o2750]);
    expect(mode(join(root, "cache/my.app"))).toEqual([u.main, u.cgiGid, 0o2775]);
    expect(conf()).toContain("# steward-writable uploads wp-content/uploads images cache/my.app\n");
    // the dot of a directory's name is a literal in nginx's regex
    expect(conf()).toContain("location ~* ^/(?:images|cache/my\\.app)/.*\\.php$ {");

    expect(await upload(n, "/upload.php", "x.jpg", "JPEG1")).toBe("moved");
    const got = await n.nginx.request("wd.test", "/wp-content/uploads/2026/12/x.jpg");
    expect(got.body).toBe("JPEG1");
    const cgi = await passwdEntry(`${A}-cgi`);
    expect(statSync(join(root, "wp-content/uploads/2026/12/x.jpg")).uid).toBe(cgi?.uid);
    // an identical apply changes nothing
    const again = await apply(["uploads", "wp-content/uploads", "images", "cache/my.app"]);
    expect(again.error).toBeUndefined();
    expect(again.changed).toBe(false);
  });

  it("never runs PHP put in a writable directory (403), whatever its name", async () => {
    const plant = `<?php
foreach (["wp-content/uploads/2026/12", "images", "cache/my.app"] as $d)
  file_put_contents(__DIR__ . "/$d/evil.php", "<?php echo 'EXECUTED';");
echo "planted";
`;
    await put(join(root, "plant.php"), plant);
    expect((await n.nginx.request("wd.test", "/plant.php")).body).toBe("planted");
    for (const path of [
      "/wp-content/uploads/2026/12/evil.php",
      "/images/evil.php",
      "/IMAGES/evil.php",
      "/cache/my.app/evil.php",
    ]) {
      const r = await n.nginx.request("wd.test", path);
      expect(r.status, path).toBe(403);
      expect(r.body).not.toContain("EXECUTED");
    }
    // the code itself still runs
    expect((await n.nginx.request("wd.test", "/plant.php")).status).toBe(200);
  });

  it("refuses a writable directory that is or goes through a link, changing nothing", async () => {
    const u = await ids();
    const before = conf();
    const etc = mode("/etc");
    await linkAs("/etc", join(root, "etclink"));
    await linkAs(root, join(root, "code"));
    await linkAs(join(root, "wp-content"), join(root, "wp"));
    for (const dirs of [["etclink"], ["code"], ["wp/uploads"], ["etclink/newdir"]]) {
      const r = await apply(["uploads", "wp-content/uploads", ...dirs]);
      expect(r.error?.code, dirs[0]).toBe("UNSAFE_PATH");
      expect(r.error?.message).toContain("is a symbolic link");
      expect(conf()).toBe(before);
      expect(mode("/etc")).toEqual(etc);
      expect(mode(root)).toEqual([u.main, u.mainGid, 0o2750]);
      expect(mode(join(root, "wp-content"))).toEqual([u.main, u.mainGid, 0o2750]);
      expect(existsSync("/etc/newdir")).toBe(false);
    }
    // a file where a directory should be: refused as well
    await put(join(root, "afile"), "x");
    const r = await apply(["uploads", "afile/sub"]);
    expect(r.error?.code).toBe("UNSAFE_PATH");
    expect(conf()).toBe(before);
    // through a directory PHP may write (a writable one, or one the group may write): PHP
    // could swap what is inside while the agent makes the inner directory
    await mkdirAs(join(root, "shared"));
    chmodSync(join(root, "shared"), 0o2770);
    for (const dir of ["uploads/inner", "shared/inner", "wp-content/uploads/2026/x"]) {
      const inside = await apply(["uploads", "wp-content/uploads", dir]);
      expect(inside.error?.code, dir).toBe("UNSAFE_PATH");
      expect(inside.error?.message).toContain("is writable by others than the account's main user");
      expect(conf()).toBe(before);
    }
    expect(existsSync(join(root, "shared/inner"))).toBe(false);
    // the images directory (still listed before) kept its group write through all that
    expect(mode(join(root, "images"))).toEqual([u.main, u.cgiGid, 0o2775]);
  });

  it("refuses hostile directory names before anything is touched", async () => {
    const before = conf();
    for (const bad of ["../x", "/etc", "a//b", "a/./b", "a\\b", "a\nb", "a;b", "x".repeat(201)]) {
      const r = await apply(["uploads", bad]);
      expect(r.error?.code, JSON.stringify(bad)).toBe("OP_INPUT_INVALID");
      expect(conf()).toBe(before);
    }
  });

  it("takes the group's write away from a directory left out of the list; its files stay", async () => {
    const u = await ids();
    const r = await apply(["uploads"]);
    expect(r.error).toBeUndefined();
    expect(mode(join(root, "wp-content/uploads"))).toEqual([u.main, u.mainGid, 0o2750]);
    expect(mode(join(root, "images"))).toEqual([u.main, u.mainGid, 0o2750]);
    expect(existsSync(join(root, "wp-content/uploads/2026/12/x.jpg"))).toBe(true);
    // PHP cannot add to the directory itself any more (what it made inside stays its own)
    await put(
      join(root, "direct.php"),
      `<?php echo @file_put_contents(__DIR__ . "/wp-content/uploads/2027.txt", "x") === false ? "refused" : "written";`,
    );
    expect((await n.nginx.request("wd.test", "/direct.php")).body).toBe("refused");
    expect(existsSync(join(root, "images/evil.php"))).toBe(true);
    expect(conf()).toContain("\n# steward-writable uploads\n");
  });

  it("in the site's own layout: stores nothing on disk, denies PHP below the directories", async () => {
    const r = await n.apply({
      id: "wo",
      kind: "php",
      domains: ["wo.test"],
      user: testUser(),
      writableDirs: ["uploads", "images"],
    });
    expect(r.error).toBeUndefined();
    const own = join(n.config.sitesRoot, "wo", "public");
    // PHP runs as the owner of every file there: nothing to make or give
    expect(existsSync(join(own, "images"))).toBe(false);
    expect(existsSync(join(own, "uploads"))).toBe(false);
    const file = readFileSync(join(n.config.nginx.sitesDir, "steward-site-wo.conf"), "utf8");
    expect(file).toContain("location ~* ^/(?:images)/.*\\.php$ {");
  });

  it("gives the directories back when the apply fails after staging them", async () => {
    const u = await ids();
    // another site serves taken.test: nginx's test refuses the name after the stage phase
    const other = await n.apply({
      id: "wx",
      kind: "static",
      domains: ["taken.test"],
      user: A,
      account: { main: A },
    });
    expect(other.error).toBeUndefined();
    const before = conf();
    const r = await n.apply({
      id: "wd",
      kind: "php",
      domains: ["wd.test", "taken.test"],
      user: A,
      account: { main: A },
      writableDirs: ["uploads", "wp-content/uploads", "fresh/dir"],
    });
    expect(r.error?.code).toBe("NAME_TAKEN");
    // it had been given to the CGI user's group before nginx's test
    const gave = `give ${join(root, "wp-content/uploads")} to`;
    expect(r.steps.some((step) => step.name.startsWith(gave) && step.ok)).toBe(true);
    expect(conf()).toBe(before);
    expect(mode(join(root, "wp-content/uploads"))).toEqual([u.main, u.mainGid, 0o2750]);
    expect(existsSync(join(root, "fresh"))).toBe(false);
  });
});
