// System users' disk quotas end to end: the API, the panel's sysusers.apply task, an agent
// enrolled through the public endpoint running the real apply with real useradd users, and,
// because this machine's kernel cannot have user quotas on (no CONFIG_QFMT_V2), a STRICT
// RECORDING FAKE of quotaon/repquota/setquota (apps/agent/src/testing/fake-quota-tools.mjs) in
// place of the quota tools: it records each setquota's argv and keeps the limits. Checked: a
// main user created with quotaMb records `setquota -u UID KiB KiB 0 0 MOUNT` and answers
// quotaEnforced: true; a secondary user's PATCH sets its own; a filesystem without quotas
// answers quotaEnforced: false with the task saying why; 0 removes the limit (… 0 0); hostile
// values are refused naming body.quotaMb with nothing changed; a reader cannot set one. No
// sshd or pure-ftpd here (system-users-api.test.ts has them): their steps are skipped notes.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fakeQuotaTools, mountOf } from "@steward/agent/testing";
import { QUOTA_NOT_ENFORCED } from "@steward/contracts/hosting";
import { missing } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EnrolledNode, enrollNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const root = process.getuid?.() === 0;
if (!root) missing("root", "the test makes real system users with useradd");
const base = root ? mkdtempSync("/srv/stw-quota-api-") : "";
if (base) chmodSync(base, 0o755);
const homes = join(base, "home");
const tag = randomBytes(3).toString("hex");
const MAIN = `stwtest-qm${tag}`;
const TEAM = `stwtest-qt${tag}`;
const quota = base ? fakeQuotaTools(base, { mounts: {}, roots: [homes] }) : null;
const mount = await mountOf(homes);
quota?.mount(mount, "/dev/fake0");

describe.skipIf(!root)("system users' disk quotas through the panel and a real agent", () => {
  const s = useServer("sqlite");
  const w = useWorld(s);
  let node: EnrolledNode | null = null;
  const api = (method: string, url: string, body?: unknown, key = w.keys.accountAdmin) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  const settled = async (taskId: string) => {
    const task = await settleTask(s, taskId, 60_000);
    expect(task.state, await taskLogText(s, taskId)).toBe("succeeded");
  };
  const uid = (name: string) => execFileSync("id", ["-u", name], { encoding: "utf8" }).trim();
  const user = async (id: string) => (await api("GET", `/api/v1/system-users/${id}`)).body;
  let mainId = "";
  let teamId = "";

  beforeAll(async () => {
    s.svc.engine.startWorker();
    node = await enrollNode(s, w.keys.super, {
      name: "quota-node",
      listen: "127.0.0.1",
      agentJson: {
        hosting: {
          homeRoot: homes,
          keysDir: join(base, "keys"),
          webUser: null,
          sshd: { configFile: join(base, "no-sshd_config") },
          ftp: { purePw: join(base, "no-pure-pw") },
          quotaon: quota?.quotaon,
          repquota: quota?.repquota,
          setquota: quota?.setquota,
        },
      },
    });
  }, 120_000);

  afterAll(async () => {
    await node?.close();
    for (const name of [TEAM, `${MAIN}-cgi`, MAIN])
      try {
        execFileSync("/usr/sbin/userdel", ["--", name], { stdio: "ignore" });
      } catch {} // not made, or removed already
    if (base) rmSync(base, { recursive: true, force: true });
  }, 60_000);

  it("sets a main user's quota with setquota and answers it enforced", async () => {
    const main = await api("POST", "/api/v1/system-users", {
      kind: "main",
      account: w.a,
      node: node?.id,
      name: MAIN,
      shell: "none",
      quotaMb: 100,
    });
    expect(main.status, JSON.stringify(main.body)).toBe(201);
    expect(main.body).toMatchObject({ quotaMb: 100, quotaEnforced: null, status: "pending" });
    mainId = main.body.id;
    await settled(main.body.taskId);
    expect(await user(mainId)).toMatchObject({ quotaMb: 100, quotaEnforced: true });
    // the main user's limit, and the same for its CGI user (what the site's PHP writes)
    expect(quota?.setquotaCalls()).toEqual([
      ["-u", uid(MAIN), "102400", "102400", "0", "0", mount],
      ["-u", uid(`${MAIN}-cgi`), "102400", "102400", "0", "0", mount],
    ]);
    // a secondary user without one: none sent for it, the main user's is already set
    const team = await api("POST", "/api/v1/system-users", {
      kind: "secondary",
      account: w.a,
      node: node?.id,
      name: TEAM,
      home: "team",
      shell: "none",
    });
    expect(team.status, JSON.stringify(team.body)).toBe(201);
    teamId = team.body.id;
    await settled(team.body.taskId);
    expect(await user(teamId)).toMatchObject({ quotaMb: null, quotaEnforced: null });
    expect(quota?.setquotaCalls()).toHaveLength(2);
  });

  it("sets a secondary user's, says when the filesystem cannot enforce it, and removes it", async () => {
    const set = await api("PATCH", `/api/v1/system-users/${teamId}`, { quotaMb: 50 });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ quotaMb: 50, quotaEnforced: null, status: "pending" });
    await settled(set.body.taskId);
    expect(quota?.setquotaCalls().slice(2)).toEqual([
      ["-u", uid(TEAM), "51200", "51200", "0", "0", mount],
    ]);
    expect((await user(teamId)).quotaEnforced).toBe(true);
    const usage = await api("GET", `/api/v1/accounts/${w.a}/disk-usage`, undefined, w.keys.reader);
    expect(
      usage.body.users.map((u: { name: string; quotaMb: number | null }) => [u.name, u.quotaMb]),
    ).toEqual([
      [TEAM, 50],
      [MAIN, 100],
    ]);

    // the node's filesystem without user quotas: the limit is kept, marked not enforced
    quota?.mount(mount, null);
    try {
      const off = await api("PATCH", `/api/v1/system-users/${teamId}`, { quotaMb: 60 });
      await settled(off.body.taskId);
      expect(await user(teamId)).toMatchObject({ quotaMb: 60, quotaEnforced: false });
      expect(await taskLogText(s, off.body.taskId)).toContain(QUOTA_NOT_ENFORCED);
      expect(quota?.setquotaCalls()).toHaveLength(3);
    } finally {
      quota?.mount(mount, "/dev/fake0");
    }

    // 0 removes the limit: setquota … 0 0, and the user shows none
    const none = await api("PATCH", `/api/v1/system-users/${teamId}`, { quotaMb: 0 });
    await settled(none.body.taskId);
    expect(quota?.setquotaCalls().slice(3)).toEqual([["-u", uid(TEAM), "0", "0", "0", "0", mount]]);
    expect(await user(teamId)).toMatchObject({ quotaMb: null, quotaEnforced: null });
  });

  it("refuses hostile quotas naming the field, and a reader, changing nothing", async () => {
    for (const bad of [-1, 1.5, 16_777_217, "100", "1; rm -rf /", "0 0 0 0 /", true, {}]) {
      const res = await api("PATCH", `/api/v1/system-users/${mainId}`, { quotaMb: bad });
      expect(res.status, String(bad)).toBe(400);
      expect(res.body.error.details?.[0]?.field, String(bad)).toBe("body.quotaMb");
    }
    expect(
      (await api("PATCH", `/api/v1/system-users/${mainId}`, { quotaMb: 1 }, w.keys.reader)).status,
    ).toBe(403);
    // another account's admin: not found, the quota not shown
    const other = await api("GET", `/api/v1/system-users/${mainId}`, undefined, w.keys.otherAdmin);
    expect(other.status).toBe(404);
    expect(await user(mainId)).toMatchObject({
      quotaMb: 100,
      quotaEnforced: true,
      status: "applied",
    });
    expect(quota?.setquotaCalls()).toHaveLength(4);
  });
});
