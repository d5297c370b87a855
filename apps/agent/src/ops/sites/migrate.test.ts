// site.migrate-layout against a real nginx and PHP-FPM, as root with real users: a PHP site
// of the own layout moves into its account's layout and answers the same, its files now the
// main user's and its PHP the CGI user's; a site that would answer differently afterwards
// (it reads its old home by absolute path) is moved back, byte for byte, still serving.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  existsSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAccountNode, type TestNode, testUser } from "../../testing/node.ts";
import { sysUsersApply } from "../sysusers/apply.ts";
import { passwdEntry } from "./dirs.ts";
import { siteMigrate } from "./migrate.ts";

const M = `stwtest-mv${randomBytes(3).toString("hex")}`;
const layout = await startAccountNode("stw-move-", [M]);
const { homeRoot, node } = layout;

afterAll(() => layout.stop());

describe.skipIf(!node)("moving a site into its account's layout", () => {
  const n = node as TestNode;
  const oldHome = (id: string) => join(n.config.sitesRoot, id);
  const newHome = (id: string) => join(homeRoot, "home", M, "home", "web", id);
  const users = { mg: testUser(), mf: testUser() };
  const site = (id: "mg" | "mf") => ({
    id,
    kind: "php" as const,
    domains: [`${id}.test`],
    aliases: [],
    redirect: "none" as const,
    root: "public",
    suspended: false,
    protection: [],
    php: {},
  });
  /** writes a file (and its directories) as the site's own user */
  const put = (id: "mg" | "mf", rel: string, content: string) => {
    const uid = Number(execFileSync("id", ["-u", users[id]]).toString());
    const path = join(oldHome(id), rel);
    mkdirSync(join(path, ".."), { recursive: true });
    for (let d = join(path, ".."); d !== oldHome(id); d = join(d, "..")) lchownSync(d, uid, uid);
    writeFileSync(path, content, { mode: 0o644 });
    lchownSync(path, uid, uid);
    return uid;
  };

  beforeAll(async () => {
    const acc = await n.run(sysUsersApply, {
      id: "acc_move",
      present: true,
      main: { name: M, shell: "none", ftp: false, keys: [], passwordHash: null },
      secondary: [],
      remove: [],
      deleteFiles: false,
    });
    expect(acc.error).toBeUndefined();
    for (const id of ["mg", "mf"] as const) {
      const r = await n.apply({ ...site(id), user: users[id] });
      expect(r.error).toBeUndefined();
    }
    put(
      "mg",
      "public/index.php",
      "<?php header('Content-Type: text/plain'); echo 'hello from mg';",
    );
    put("mg", "private/notes.txt", "notes");
    const uid = put("mg", "public/uploads/old.jpg", "OLDJPEG");
    const link = join(oldHome("mg"), "public", "passwd.txt");
    symlinkSync("/etc/passwd", link);
    lchownSync(link, uid, uid);
    // reads its own home by absolute path: works where it is, not after a move
    put("mf", "private/x.txt", "x");
    put(
      "mf",
      "public/index.php",
      `<?php if (!@is_readable(${JSON.stringify(join(oldHome("mf"), "private/x.txt"))})) http_response_code(500); echo "ok";`,
    );
  });

  it("moves the files, rewrites the pool for the CGI user and answers the same", async () => {
    expect((await n.nginx.request("mg.test", "/")).body).toBe("hello from mg");
    const r = await n.run(siteMigrate, {
      id: "mg",
      site: { ...site("mg"), user: M, account: { main: M } },
      fromUser: users.mg,
    });
    expect(r.error).toBeUndefined();
    const out = r.output as { before: unknown[]; after: unknown[]; movedFrom: string };
    expect(out.movedFrom).toBe(oldHome("mg"));
    expect(out.after).toEqual(out.before);
    expect(out.before).toEqual([
      { name: "mg.test", status: 200, contentType: "text/plain;charset=UTF-8" },
    ]);
    expect(existsSync(oldHome("mg"))).toBe(false);
    const main = await passwdEntry(M);
    const cgi = await passwdEntry(`${M}-cgi`);
    const st = (rel: string) => {
      const s = lstatSync(join(newHome("mg"), rel));
      return [s.uid, s.gid, s.mode & 0o7777];
    };
    expect(st("")).toEqual([main?.uid, main?.gid, 0o2750]);
    expect(st("public")).toEqual([main?.uid, main?.gid, 0o2750]);
    expect(st("public/index.php")).toEqual([main?.uid, main?.gid, 0o640]);
    expect(st("private/notes.txt")).toEqual([main?.uid, main?.gid, 0o640]);
    expect(st("public/uploads")).toEqual([main?.uid, cgi?.gid, 0o2775]);
    expect(st("public/uploads/old.jpg")).toEqual([main?.uid, cgi?.gid, 0o664]);
    expect(st("tmp")).toEqual([cgi?.uid, cgi?.gid, 0o700]);
    expect(lstatSync(join(newHome("mg"), "public/passwd.txt")).isSymbolicLink()).toBe(true);
    const pool = readFileSync(join(n.config.phpFpm.poolDir, "steward-site-mg.conf"), "utf8");
    expect(pool).toContain(`user = ${M}-cgi\n`);
    expect((await n.nginx.request("mg.test", "/")).body).toBe("hello from mg");
    expect((await n.nginx.request("mg.test", "/uploads/old.jpg")).body).toBe("OLDJPEG");
    // the link to /etc/passwd is root's file: nginx serves no link across owners
    expect((await n.nginx.request("mg.test", "/passwd.txt")).body).not.toContain("root:x:0:0");
  });

  it("moves a site back when it no longer answers the same, leaving the node as it was", async () => {
    const conf = join(n.config.nginx.sitesDir, "steward-site-mf.conf");
    const pool = join(n.config.phpFpm.poolDir, "steward-site-mf.conf");
    const before = [readFileSync(conf, "utf8"), readFileSync(pool, "utf8")];
    expect((await n.nginx.request("mf.test", "/")).status).toBe(200);
    const r = await n.run(siteMigrate, {
      id: "mf",
      site: { ...site("mf"), user: M, account: { main: M } },
      fromUser: users.mf,
    });
    expect(r.error?.code).toBe("VERIFY_FAILED");
    expect(r.error?.message).toContain("mf.test answered 200");
    expect(r.error?.message).toContain("and 500");
    expect([readFileSync(conf, "utf8"), readFileSync(pool, "utf8")]).toEqual(before);
    expect(existsSync(newHome("mf"))).toBe(false);
    expect(statSync(join(oldHome("mf"), "public/index.php")).isFile()).toBe(true);
    expect((await n.nginx.request("mf.test", "/")).status).toBe(200);
  });

  it("refuses to move a home that is not the given user's, touching nothing", async () => {
    const r = await n.run(siteMigrate, {
      id: "mf",
      site: { ...site("mf"), user: M, account: { main: M } },
      fromUser: users.mg,
    });
    expect(r.error?.code).toBe("NOT_OWNER");
    expect(r.changed).toBe(false);
    const bad = await n.run(siteMigrate, {
      site: { ...site("mf"), user: users.mf },
      fromUser: users.mf,
    });
    expect(bad.error?.code).toBe("OP_INPUT_INVALID");
  });
});
