// sysusers.apply as root against a real sshd (Match blocks, chroot, internal-sftp) and a real
// pure-ftpd (puredb virtual users), both hermetic (testkit), with real system users
// (useradd), logging in with OpenSSH's client and basic-ftp: uploads land in the right place
// with the right owner, chroots hold against `..` and links, removed users cannot log in, and
// an include sshd refuses is rolled back.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import type { SysUsersApplyInput } from "@steward/contracts/hosting";
import { startHostingFtp, startHostingSshd } from "@steward/testkit";
import { Client } from "basic-ftp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../config.ts";
import { OPEN } from "../backups/sftp-packets.ts";
import { openSession, pinHostKey } from "../backups/sftp-ssh.ts";
import { runOperation } from "../framework.ts";
import { passwdEntry } from "../sites/dirs.ts";
import { sysUsersApply } from "./apply.ts";

const sshd = await startHostingSshd();
const ftp = sshd ? await startHostingFtp() : null;
const ready = sshd !== null && ftp !== null;
const base = ready ? mkdtempSync("/srv/stw-hosting-") : "";
// sshd reads a user's authorized keys as that user: the path to the keys must let it through
if (base) chmodSync(base, 0o755);
const work = mkdtempSync(join(tmpdir(), "stw-sysusers-"));
const config = ready
  ? parseConfig(join(work, "agent"), {
      nodeId: "test-node",
      panelUrl: "https://panel.test:7443",
      systemd: false,
      hosting: {
        homeRoot: join(base, "home"),
        keysDir: join(base, "keys"),
        webUser: "nobody",
        sshd: {
          bin: sshd.bin,
          configFile: sshd.configFile,
          includeDir: sshd.includeDir,
          pidFile: sshd.pidFile,
        },
        ftp: { purePw: ftp.purePw, passwdFile: ftp.passwdFile, pdbFile: ftp.pdbFile },
      },
    })
  : null;

const tag = randomBytes(3).toString("hex");
const A = `stwtest-a${tag}`;
const B = `stwtest-b${tag}`;
const alice = `stwtest-al${tag}`;
const bob = `stwtest-bo${tag}`;
const carol = `stwtest-ca${tag}`;
const made = [alice, bob, carol, `${A}-cgi`, `${B}-cgi`, A, B];

/** A key pair: the private key (PEM) and the public line. */
function keyPair() {
  const file = join(work, `k${randomBytes(3).toString("hex")}`);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", file]);
  return { key: readFileSync(file, "utf8"), pub: readFileSync(`${file}.pub`, "utf8").trim() };
}
const crypt = (password: string) =>
  execFileSync("openssl", ["passwd", "-6", password], { encoding: "utf8" }).trim();

const aliceKey = keyPair();
const mainKey = keyPair();
const ALICE_PW = "alice-password-1";
const MAIN_PW = "main-password-12";

const accountA = (over: Partial<SysUsersApplyInput> = {}): SysUsersApplyInput => ({
  id: `acc_a${tag}`,
  present: true,
  main: { name: A, shell: "sftp", ftp: true, keys: [mainKey.pub], passwordHash: crypt(MAIN_PW) },
  secondary: [
    {
      name: alice,
      home: "team/alice",
      shell: "sftp",
      ftp: true,
      keys: [aliceKey.pub],
      passwordHash: crypt(ALICE_PW),
    },
  ],
  remove: [],
  deleteFiles: false,
  ...over,
});
let inputA: SysUsersApplyInput;

const apply = (input: unknown) =>
  runOperation(sysUsersApply, input, {
    config: config as NonNullable<typeof config>,
    requestId: `t-${randomBytes(3).toString("hex")}`,
  });

/** An SFTP session through OpenSSH's client, the host key pinned. */
async function sftp(username: string, auth: { privateKey?: string; password?: string }) {
  if (!sshd) throw new Error("no sshd");
  await sshd.ready();
  const settings = {
    kind: "sftp" as const,
    host: sshd.host,
    port: sshd.port,
    username,
    hostKey: sshd.hostKey,
    path: "/",
    ...auth,
  };
  return openSession(settings, await pinHostKey(settings));
}

async function put(
  session: Awaited<ReturnType<typeof sftp>>["session"],
  path: string,
  text: string,
) {
  const h = await session.open(path, OPEN.WRITE | OPEN.CREAT | OPEN.TRUNC);
  await session.write(h, 0, Buffer.from(text));
  await session.close(h);
}
async function get(session: Awaited<ReturnType<typeof sftp>>["session"], path: string) {
  const h = await session.open(path, OPEN.READ);
  const data = await session.read(h, 0, 65536);
  await session.close(h);
  return data?.toString() ?? "";
}

async function ftpClient(user: string, password: string) {
  if (!ftp) throw new Error("no ftp");
  const client = new Client(20_000);
  await client.access({
    host: ftp.host,
    port: ftp.port,
    user,
    password,
    secure: true,
    secureOptions: { ca: ftp.ca },
  });
  return client;
}

beforeAll(async () => {
  if (!ready) return;
  inputA = accountA();
  const r = await apply(inputA);
  expect(r.error).toBeUndefined();
  expect(r.status).toBe("ok");
});

afterAll(async () => {
  for (const name of made)
    try {
      execFileSync("/usr/sbin/userdel", ["--", name], { stdio: "ignore" });
    } catch {} // not made, or already removed by the test
  await sshd?.stop();
  await ftp?.stop();
  if (base) rmSync(base, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!ready)("sysusers.apply with real sshd and pure-ftpd", () => {
  const h = () => join(base, "home", A, "home");

  it("makes the users, their homes and the CGI user; a second run changes nothing", async () => {
    const main = await passwdEntry(A);
    const a = await passwdEntry(alice);
    const cgi = await passwdEntry(`${A}-cgi`);
    expect(main?.gecos).toBe(`steward/${A}`);
    expect(a?.gid).toBe(main?.gid);
    const root = statSync(join(base, "home", A));
    expect([root.uid, root.mode & 0o7777]).toEqual([0, 0o711]);
    const home = statSync(h());
    expect([home.uid, home.gid, home.mode & 0o7777]).toEqual([main?.uid, main?.gid, 0o2750]);
    const uploads = statSync(join(h(), "uploads"));
    expect([uploads.uid, uploads.gid, uploads.mode & 0o7777]).toEqual([
      main?.uid,
      cgi?.gid,
      0o2775,
    ]);
    const own = statSync(join(h(), "team", "alice"));
    expect([own.uid, own.gid, own.mode & 0o7777]).toEqual([a?.uid, main?.gid, 0o2750]);
    // the CGI user and the web server read the main group's files; the CGI user cannot write them
    const groups = execFileSync("id", ["-nG", `${A}-cgi`], { encoding: "utf8" });
    expect(groups.split(/\s+/)).toContain(A);
    expect(execFileSync("id", ["-nG", "nobody"], { encoding: "utf8" }).split(/\s+/)).toContain(A);
    // as the CGI user (PHP): the site's files cannot be written, uploads can
    const asCgi = (file: string) =>
      execFileSync(
        "setpriv",
        ["--reuid", `${A}-cgi`, "--regid", `${A}-cgi`, "--init-groups", "touch", file],
        {
          stdio: "pipe",
        },
      );
    expect(() => asCgi(join(h(), "backdoor.php"))).toThrow(/Permission denied/);
    asCgi(join(h(), "uploads", "photo.jpg"));
    expect(statSync(join(h(), "uploads", "photo.jpg")).uid).toBe(cgi?.uid);
    const include = readFileSync(join(sshd?.includeDir ?? "", `steward-${A}.conf`), "utf8");
    expect(include).toContain(`Match User ${alice}\n    ChrootDirectory ${join(base, "home", A)}`);
    expect(include).toContain("ForceCommand internal-sftp -d /home/team/alice");
    expect(include.trimEnd().endsWith("Match all")).toBe(true);

    const again = await apply(inputA);
    expect(again).toMatchObject({ status: "ok", changed: false });
    expect(
      again.steps.map((s) => s.name).filter((n) => /reload|mkdb|pure-ftpd|create/.test(n)),
    ).toEqual([]);
  });

  it("an SFTP upload as the secondary user lands in its home, owned by it", async () => {
    const { session, end } = await sftp(alice, { privateKey: aliceKey.key });
    try {
      await put(session, "/home/team/alice/hello.txt", "hi from alice");
      await expect(put(session, "/home/not-mine.txt", "x")).rejects.toThrow(/denied/i);
    } finally {
      await end();
    }
    const file = statSync(join(h(), "team", "alice", "hello.txt"));
    expect(file.uid).toBe((await passwdEntry(alice))?.uid);
    expect(readFileSync(join(h(), "team", "alice", "hello.txt"), "utf8")).toBe("hi from alice");
  });

  it("the main user logs in with its password; .. and links do not leave the chroot", async () => {
    const other = accountA({
      id: `acc_b${tag}`,
      main: { name: B, shell: "sftp", ftp: false, keys: [], passwordHash: null },
      secondary: [],
    });
    expect((await apply(other)).status).toBe("ok");
    const bHome = join(base, "home", B, "home");
    writeFileSync(join(bHome, "secret.txt"), "B's secret");
    symlinkSync(join(bHome, "secret.txt"), join(h(), "link-to-b"));
    symlinkSync("../../../", join(h(), "up"));
    const { session, end } = await sftp(A, { password: MAIN_PW });
    try {
      await put(session, "/home/index.html", "A's page");
      for (const path of [
        `/../${B}/home/secret.txt`,
        `/home/../../${B}/home/secret.txt`,
        join(bHome, "secret.txt"),
        "/home/link-to-b",
        `/home/up/${B}/home/secret.txt`,
        "/home/up/etc/shadow",
      ])
        await expect(get(session, path), path).rejects.toThrow(/no such file|denied|failure/i);
      expect(await get(session, "/home/team/alice/hello.txt")).toBe("hi from alice");
    } finally {
      await end();
    }
    expect(statSync(join(h(), "index.html")).uid).toBe((await passwdEntry(A))?.uid);
  });

  it("FTP: logs in chrooted, uploads as the user, refuses the way out", async () => {
    const client = await ftpClient(alice, ALICE_PW);
    try {
      expect(await client.pwd()).toBe("/home/team/alice");
      await client.uploadFrom(Readable.from(["by ftp"]), "ftp.txt");
      await client.cd("/");
      await client.cd("..");
      expect(await client.pwd()).toBe("/");
      const sink = () =>
        new Writable({
          write(_c, _e, cb) {
            cb();
          },
        });
      await expect(client.downloadTo(sink(), `/../${B}/home/secret.txt`)).rejects.toThrow();
      await expect(client.downloadTo(sink(), "/home/link-to-b")).rejects.toThrow();
    } finally {
      client.close();
    }
    const file = statSync(join(h(), "team", "alice", "ftp.txt"));
    expect(file.uid).toBe((await passwdEntry(alice))?.uid);
    await expect(ftpClient(alice, "wrong-password-1")).rejects.toThrow();
    // B's main user has no FTP
    await expect(ftpClient(B, "anything-at-all")).rejects.toThrow();
  });

  it("a restricted shell user gets rbash, not chrooted, and no way to leave its directory", async () => {
    const carolKey = keyPair();
    const withCarol = accountA({
      secondary: [
        ...inputA.secondary,
        {
          name: carol,
          home: "carol",
          shell: "restricted",
          ftp: false,
          keys: [carolKey.pub],
          passwordHash: null,
        },
      ],
    });
    expect((await apply(withCarol)).status).toBe("ok");
    await sshd?.ready();
    const keyFile = join(work, "carol-key");
    writeFileSync(keyFile, carolKey.key, { mode: 0o600 });
    const ssh = (command: string) => {
      try {
        return execFileSync(
          "ssh",
          [
            ...["-i", keyFile, "-p", String(sshd?.port), "-o", "BatchMode=yes"],
            ...["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"],
            `${carol}@127.0.0.1`,
            command,
          ],
          { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 20_000 },
        );
      } catch (e) {
        return `exit ${(e as { status?: number }).status}: ${(e as { stderr?: string }).stderr ?? ""}`;
      }
    };
    expect(ssh("pwd").trim()).toBe(join(h(), "carol"));
    expect(ssh("cd /")).toMatch(/restricted/);
    expect(ssh("/bin/sh -c id")).toMatch(/restricted/);
    expect(ssh("echo hi > /tmp/x")).toMatch(/restricted/);
    // not chrooted: its isolation is the permissions (other accounts' homes are 0750)
    expect((await apply(accountA({ remove: [carol] }))).status).toBe("ok");
  });

  it("an include sshd refuses is rolled back: the old one stays, new users go", async () => {
    const includeFile = join(sshd?.includeDir ?? "", `steward-${A}.conf`);
    const before = readFileSync(includeFile, "utf8");
    const broken = join(sshd?.includeDir ?? "", "zz-broken.conf");
    writeFileSync(broken, "ThisIsNotAnSshdKeyword yes\n");
    try {
      const r = await apply(
        accountA({
          secondary: [
            ...inputA.secondary,
            {
              name: bob,
              home: "team/bob",
              shell: "sftp",
              ftp: false,
              keys: [],
              passwordHash: null,
            },
          ],
        }),
      );
      expect(r.status).toBe("rolled_back");
      expect(r.error?.code).toBe("CONFIG");
      expect(r.error?.message).toMatch(/sshd -t refused/);
    } finally {
      rmSync(broken);
    }
    expect(readFileSync(includeFile, "utf8")).toBe(before);
    expect(await passwdEntry(bob)).toBeNull();
    expect(existsSync(join(h(), "team", "bob"))).toBe(false);
  });

  it("refuses a name the node has for someone else, changing nothing", async () => {
    execFileSync("/usr/sbin/useradd", ["--no-create-home", "--", bob]);
    try {
      const r = await apply(
        accountA({
          secondary: [
            ...inputA.secondary,
            { name: bob, home: "bob", shell: "sftp", ftp: false, keys: [], passwordHash: null },
          ],
        }),
      );
      expect(r.status).toBe("failed");
      expect(r.error?.code).toBe("NAME_TAKEN");
      expect(existsSync(join(h(), "bob"))).toBe(false);
    } finally {
      execFileSync("/usr/sbin/userdel", ["--", bob]);
    }
  });

  it("a removed user can no longer log in; its files go to the main user", async () => {
    const r = await apply(accountA({ secondary: [], remove: [alice] }));
    expect(r.error).toBeUndefined();
    expect(r.status).toBe("ok");
    expect(await passwdEntry(alice)).toBeNull();
    await expect(sftp(alice, { privateKey: aliceKey.key })).rejects.toThrow();
    await expect(ftpClient(alice, ALICE_PW)).rejects.toThrow();
    const main = await passwdEntry(A);
    expect(statSync(join(h(), "team", "alice", "hello.txt")).uid).toBe(main?.uid);
    expect(readFileSync(ftp?.passwdFile ?? "", "utf8")).not.toContain(`${alice}:`);
  });

  it("removes the whole account, and its files when asked", async () => {
    for (const [id, name] of [
      [`acc_a${tag}`, A],
      [`acc_b${tag}`, B],
    ] as const) {
      const r = await apply({
        id,
        present: false,
        main: { name, shell: "none", ftp: false, keys: [], passwordHash: null },
        secondary: [],
        remove: [],
        deleteFiles: true,
      });
      expect(r.error).toBeUndefined();
      expect(await passwdEntry(name)).toBeNull();
      expect(await passwdEntry(`${name}-cgi`)).toBeNull();
      expect(existsSync(join(base, "home", name))).toBe(false);
      expect(existsSync(join(sshd?.includeDir ?? "", `steward-${name}.conf`))).toBe(false);
    }
    await expect(sftp(A, { password: MAIN_PW })).rejects.toThrow();
  });
});
