// System users end to end on real components: the panel with its worker, an agent enrolled
// through the public endpoint, a hermetic sshd (Match blocks in its include directory) and
// pure-ftpd (puredb), real useradd. An account admin creates the main user and a secondary
// one through the API; the task makes them; the secondary logs in with OpenSSH's sftp and its
// upload lands in its home, owned by it; a password reset and FTP work; the hourly
// sysusers.usage measures each home (as du does) for the user and the account; another account sees
// none of it; hostile names, homes and keys are refused naming their field with nothing
// created; deleting a user means it can no longer log in.
import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BAD_HOME_PATHS, BAD_SSH_KEYS, BAD_SYS_USER_NAMES } from "@steward/contracts/testing";
import { startHostingFtp, startHostingSshd } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EnrolledNode, enrollNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const sshd = await startHostingSshd();
const ftp = sshd ? await startHostingFtp() : null;
const base = sshd && ftp ? mkdtempSync("/srv/stw-hosting-") : "";
if (base) chmodSync(base, 0o755);
const work = mkdtempSync(join(tmpdir(), "stw-sysusers-api-"));
const tag = randomBytes(3).toString("hex");
const MAIN = `stwtest-m${tag}`;
const TEAM = `stwtest-t${tag}`;
const made = [TEAM, `${MAIN}-cgi`, MAIN];

function keyPair() {
  const file = join(work, `k${randomBytes(3).toString("hex")}`);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "team@laptop", "-f", file]);
  return { file, pub: readFileSync(`${file}.pub`, "utf8").trim() };
}

/**
 * OpenSSH's sftp: the commands on stdin, a key or a password (SSH_ASKPASS: a
 * script in the test's directory). Resolves with the exit code and stderr.
 */
function sftpBatch(user: string, commands: string, auth: { key?: string; password?: string }) {
  const askpass = join(work, `askpass-${randomBytes(3).toString("hex")}`);
  if (auth.password)
    writeFileSync(askpass, `#!/bin/sh\necho '${auth.password}'\n`, { mode: 0o700 });
  // batch mode (-b) makes ssh refuse password prompts: password logins read stdin instead
  const args = [
    ...(auth.password ? [] : ["-b", "-"]),
    "-P",
    String(sshd?.port),
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    `UserKnownHostsFile=${join(work, "known_hosts")}`,
    "-o",
    `BatchMode=${auth.password ? "no" : "yes"}`,
    "-o",
    `PreferredAuthentications=${auth.password ? "password" : "publickey"}`,
    ...(auth.key ? ["-i", auth.key] : []),
    `${user}@127.0.0.1`,
  ];
  return new Promise<{ code: number; stderr: string }>((resolve) => {
    const child = execFile(
      "sftp",
      args,
      {
        env: {
          PATH: "/usr/bin:/bin",
          HOME: work,
          ...(auth.password
            ? { SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: "force", DISPLAY: ":0" }
            : {}),
        },
        timeout: 30_000,
      },
      (error, _stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr }),
    );
    child.stdin?.end(commands);
  });
}

describe.skipIf(!base)("system users through the panel on a real sshd and pure-ftpd", () => {
  const s = useServer("sqlite");
  const w = useWorld(s);
  let node: EnrolledNode | null = null;
  const api = (method: string, url: string, body?: unknown, key = w.keys.accountAdmin) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  const settled = async (taskId: string) => {
    const task = await settleTask(s, taskId, 60_000);
    expect(task.state, await taskLogText(s, taskId)).toBe("succeeded");
  };
  const home = () => join(base, "home", MAIN, "home");
  const team = keyPair();
  let mainId = "";
  let teamId = "";

  beforeAll(async () => {
    s.svc.engine.startWorker();
    node = await enrollNode(s, w.keys.super, {
      name: "hosting-node",
      listen: "127.0.0.1",
      agentJson: {
        hosting: {
          homeRoot: join(base, "home"),
          keysDir: join(base, "keys"),
          webUser: null,
          sshd: {
            bin: sshd?.bin,
            configFile: sshd?.configFile,
            includeDir: sshd?.includeDir,
            pidFile: sshd?.pidFile,
          },
          ftp: { purePw: ftp?.purePw, passwdFile: ftp?.passwdFile, pdbFile: ftp?.pdbFile },
        },
      },
    });
  }, 120_000);

  afterAll(async () => {
    await node?.close();
    for (const name of made)
      try {
        execFileSync("/usr/sbin/userdel", ["--", name], { stdio: "ignore" });
      } catch {} // removed by the test already
    await sshd?.stop();
    await ftp?.stop();
    rmSync(base, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it("creates the main user and a secondary one; its SFTP upload lands in its home", async () => {
    const main = await api("POST", "/api/v1/system-users", {
      kind: "main",
      account: w.a,
      node: node?.id,
      name: MAIN,
      shell: "sftp",
    });
    expect(main.status, JSON.stringify(main.body)).toBe(201);
    expect(main.body).toMatchObject({
      name: MAIN,
      cgiUser: `${MAIN}-cgi`,
      status: "pending",
      hasPassword: false,
    });
    mainId = main.body.id;
    const second = await api("POST", "/api/v1/system-users", {
      kind: "secondary",
      account: w.a,
      node: node?.id,
      name: TEAM,
      home: "team",
      shell: "sftp",
      ftp: true,
      password: "team-password-1",
      keys: [team.pub],
    });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body).toMatchObject({
      hasPassword: true,
      ftp: true,
      keys: [{ type: "ssh-ed25519", comment: "team@laptop" }],
    });
    expect(JSON.stringify(second.body)).not.toContain("team-password-1");
    teamId = second.body.id;
    await settled(second.body.taskId);
    const listed = await api(
      "GET",
      `/api/v1/system-users?account=${w.a}`,
      undefined,
      w.keys.reader,
    );
    expect(
      listed.body.items.map((u: { name: string; status: string }) => [u.name, u.status]),
    ).toEqual([
      [TEAM, "applied"],
      [MAIN, "applied"],
    ]);

    // an account with system users on a node is not deleted (they would stay on the node)
    const gone = await api("DELETE", `/api/v1/accounts/${w.a}`, undefined, w.keys.super);
    expect(gone.status).toBe(409);
    expect(gone.body.error.message).toMatch(/system users: 2/);

    await sshd?.ready();
    writeFileSync(join(work, "report.txt"), "quarterly report");
    const up = await sftpBatch(TEAM, `put ${join(work, "report.txt")} /home/team/report.txt\n`, {
      key: team.file,
    });
    expect(up, up.stderr).toMatchObject({ code: 0 });
    const file = statSync(join(home(), "team", "report.txt"));
    const uid = Number(execFileSync("id", ["-u", TEAM], { encoding: "utf8" }));
    expect(file.uid).toBe(uid);
    // outside its chroot there is nothing to read
    const out = await sftpBatch(TEAM, "get /etc/passwd\n", { key: team.file });
    expect(out.code).not.toBe(0);
  });

  it("resets a password: the new one logs in, the old one no longer", async () => {
    const res = await api("PATCH", `/api/v1/system-users/${teamId}`, {
      password: "new-team-password",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await settled(res.body.taskId);
    await sshd?.ready();
    expect((await sftpBatch(TEAM, "pwd\n", { password: "new-team-password" })).code).toBe(0);
    expect((await sftpBatch(TEAM, "pwd\n", { password: "team-password-1" })).code).not.toBe(0);
    const passwd = readFileSync(ftp?.passwdFile ?? "", "utf8");
    expect(passwd).toMatch(new RegExp(`^${TEAM}:\\$6\\$`, "m"));
    expect(passwd).not.toContain("new-team-password");
  });

  it("measures what each user's home holds (sysusers.usage), per user and per account", async () => {
    writeFileSync(join(home(), "site.bin"), randomBytes(300_000));
    expect((await api("GET", `/api/v1/system-users/${teamId}`)).body.usage).toBeNull();
    const task = await s.svc.engine.enqueue({ kind: "sysusers.usage", payload: {} });
    expect((await api("POST", `/api/v1/tasks/${task.task.id}/run`, {}, w.keys.super)).status).toBe(
      200,
    );
    await expect
      .poll(async () => (await api("GET", `/api/v1/system-users/${mainId}`)).body.usage, {
        timeout: 30_000,
      })
      .not.toBeNull();
    // du's figures: bytes on disk, hard links once, symlinks not followed
    const du = (path: string) =>
      Number(execFileSync("du", ["-s", "-B1", "--", path], { encoding: "utf8" }).split("\t")[0]);
    const main = (await api("GET", `/api/v1/system-users/${mainId}`)).body.usage;
    const second = (await api("GET", `/api/v1/system-users/${teamId}`)).body.usage;
    expect(main).toMatchObject({ bytes: du(home()), truncated: false });
    expect(second).toMatchObject({ bytes: du(join(home(), "team")), truncated: false });
    expect(main.bytes).toBeGreaterThan(300_000);
    expect(second.files).toBeGreaterThanOrEqual(2);
    expect(main.files).toBeGreaterThan(second.files);
    expect(Date.parse(main.measuredAt)).toBeGreaterThan(Date.now() - 120_000);
    const account = await api(
      "GET",
      `/api/v1/accounts/${w.a}/disk-usage`,
      undefined,
      w.keys.reader,
    );
    expect(account.status, JSON.stringify(account.body)).toBe(200);
    expect(account.body).toMatchObject({
      accountId: w.a,
      bytes: main.bytes,
      files: main.files,
      measuredAt: main.measuredAt,
      truncated: false,
    });
    expect(
      account.body.users.map((u: { name: string; kind: string; usage: unknown }) => [
        u.name,
        u.kind,
        u.usage,
      ]),
    ).toEqual([
      [TEAM, "secondary", second],
      [MAIN, "main", main],
    ]);
    expect(await taskLogText(s, task.task.id)).toMatch(/measured 2 system user\(s\); 0 account/);
    // another account: not found, said as for an account that does not exist
    const other = await api(
      "GET",
      `/api/v1/accounts/${w.a}/disk-usage`,
      undefined,
      w.keys.otherAdmin,
    );
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).not.toContain(MAIN);
    const own = await api(
      "GET",
      `/api/v1/accounts/${w.b}/disk-usage`,
      undefined,
      w.keys.otherAdmin,
    );
    expect(own.body).toMatchObject({ bytes: 0, files: 0, measuredAt: null, users: [] });
  });

  it("shows another account nothing, and refuses its admin", async () => {
    expect(
      (await api("GET", `/api/v1/system-users/${teamId}`, undefined, w.keys.otherAdmin)).status,
    ).toBe(404);
    expect(
      (await api("GET", `/api/v1/system-users?account=${w.a}`, undefined, w.keys.otherAdmin))
        .status,
    ).toBe(404);
    const del = await api(
      "DELETE",
      `/api/v1/system-users/${teamId}?confirm=${TEAM}`,
      undefined,
      w.keys.otherAdmin,
    );
    expect(del.status).toBe(404);
    expect(
      (await api("PATCH", `/api/v1/system-users/${teamId}`, { shell: "none" }, w.keys.reader))
        .status,
    ).toBe(403);
    // the name is the node's: another account cannot take it, and is not told whose it is
    const taken = await api(
      "POST",
      "/api/v1/system-users",
      { kind: "main", account: w.b, node: node?.id, name: TEAM },
      w.keys.otherAdmin,
    );
    expect(taken.status).toBe(409);
    expect(JSON.stringify(taken.body)).not.toContain(w.a);
  });

  it("refuses hostile names, homes and keys naming the field, creating nothing", async () => {
    const before = (await api("GET", `/api/v1/system-users?account=${w.a}`)).body.items.length;
    const post = (body: Record<string, unknown>) =>
      api("POST", "/api/v1/system-users", {
        kind: "secondary",
        account: w.a,
        node: node?.id,
        name: "stwtest-x",
        home: "x",
        ...body,
      });
    const field = (res: { status: number; body: { error: { details?: { field?: string }[] } } }) =>
      res.body.error.details?.[0]?.field;
    for (const name of BAD_SYS_USER_NAMES) {
      const res = await post({ name });
      expect(res.status, name).toBe(400);
      expect(field(res), name).toBe("body.name");
    }
    for (const home of BAD_HOME_PATHS) {
      const res = await post({ home });
      expect(res.status, home).toBe(400);
      expect(field(res), home).toBe("body.home");
    }
    for (const key of BAD_SSH_KEYS) {
      const res = await post({ keys: [key] });
      expect(res.status, key).toBe(400);
      expect(field(res), key).toBe("body.keys.0");
    }
    const long = await api("POST", "/api/v1/system-users", {
      kind: "main",
      account: w.a,
      node: node?.id,
      name: "a".repeat(29),
    });
    expect([long.status, field(long)]).toEqual([400, "body.name"]);
    expect((await post({ ftp: true })).status).toBe(400);
    expect((await api("GET", `/api/v1/system-users?account=${w.a}`)).body.items.length).toBe(
      before,
    );
  });

  it("deletes the secondary user (it can no longer log in), then the account's main user and files", async () => {
    expect((await api("DELETE", `/api/v1/system-users/${teamId}?confirm=wrong`)).status).toBe(400);
    expect((await api("DELETE", `/api/v1/system-users/${mainId}?confirm=${MAIN}`)).status).toBe(
      409,
    );
    const del = await api("DELETE", `/api/v1/system-users/${teamId}?confirm=${TEAM}`);
    expect(del.status, JSON.stringify(del.body)).toBe(202);
    expect(del.body.status).toBe("deleting");
    await settled(del.body.taskId);
    expect((await api("GET", `/api/v1/system-users/${teamId}`)).status).toBe(404);
    await sshd?.ready();
    expect((await sftpBatch(TEAM, "pwd\n", { key: team.file })).code).not.toBe(0);
    const gone = await api(
      "DELETE",
      `/api/v1/system-users/${mainId}?confirm=${MAIN}&deleteFiles=true`,
    );
    expect(gone.status).toBe(202);
    await settled(gone.body.taskId);
    expect((await api("GET", `/api/v1/system-users?account=${w.a}`)).body.items).toEqual([]);
    expect(existsSync(join(base, "home", MAIN))).toBe(false);
    expect(existsSync(join(sshd?.includeDir ?? "", `steward-${MAIN}.conf`))).toBe(false);
  });
});
