// Cron jobs end to end on real components: the panel with its worker, an agent enrolled
// through the public endpoint, real system users made by sysusers.apply (a hermetic sshd and
// pure-ftpd, real useradd) and the agent's cron.d directory in the test's directory. An
// account admin creates jobs for its main and secondary users; the node's file holds exactly
// their lines; run now executes as the user (its uid, never 0) with the output in the task's
// log and the exit status on the job; another account sees nothing and cannot use A's users;
// hostile commands, schedules and users are refused naming the field with nothing written.
// Scheduled runs: a line of the node's file run the way cron runs it (cron itself is never
// started) executes the job as its user through the agent's cron-exec; the node's heartbeat
// makes the panel collect the run (kind "scheduled", uid, exit status, output on the job), the
// job's heartbeat monitor is pinged and goes up; a failing run marks the job. A file from
// before cron-exec (lines running the command as the user) is applied again, once, when the
// node's heartbeat reports it.

import { execFileSync, spawn } from "node:child_process";
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
import { fileURLToPath } from "node:url";
import { BAD_CRON_COMMANDS, BAD_CRON_SCHEDULES } from "@steward/contracts/testing";
import { startHostingFtp, startHostingSshd } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EnrolledNode, enrollNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const sshd = await startHostingSshd();
const ftp = sshd ? await startHostingFtp() : null;
const base = sshd && ftp ? mkdtempSync("/srv/stw-cron-") : "";
if (base) chmodSync(base, 0o755);
const work = mkdtempSync(join(tmpdir(), "stw-cron-api-"));
const cronDir = join(work, "cron.d");
const tag = randomBytes(3).toString("hex");
const MAIN = `stwtest-cm${tag}`;
const TEAM = `stwtest-ct${tag}`;
const OTHER = `stwtest-co${tag}`;
const LATE = `stwtest-cl${tag}`;
const made = [TEAM, LATE, `${MAIN}-cgi`, MAIN, `${OTHER}-cgi`, OTHER];
// cron-exec as the CLI's agent entry under this Node (the single-file agent on a node)
const entry = fileURLToPath(new URL("../../../../cli/src/agent-bin.ts", import.meta.url));

/** A job's line of the file run by /bin/sh with the file's variables, as cron runs it. */
function runLine(text: string, jobId: string) {
  const block = text.split("\n\n").find((b) => b.startsWith(`# job ${jobId}\n`)) ?? "";
  const lines = block.split("\n");
  const vars = Object.fromEntries(
    lines
      .filter((l) => /^[A-Z]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  const line = lines.find((l) => /^[*@0-9]/.test(l)) ?? "";
  const command = line.slice(line.indexOf(" root ") + " root ".length);
  const child = spawn("/bin/sh", ["-c", command], {
    env: { ...vars, HOME: "/root", LOGNAME: "root" },
  });
  return new Promise<number | null>((resolve) => child.on("close", resolve));
}

describe.skipIf(!base)("cron jobs through the panel on a real node", () => {
  const s = useServer("sqlite");
  const w = useWorld(s);
  let node: EnrolledNode | null = null;
  const api = (method: string, url: string, body?: unknown, key = w.keys.accountAdmin) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  const settled = async (taskId: string, state = "succeeded") => {
    const task = await settleTask(s, taskId, 60_000);
    expect(task.state, await taskLogText(s, taskId)).toBe(state);
  };
  const file = () => join(cronDir, `steward-${w.a}`);
  const exec = () => `root ${process.execPath} ${entry} cron-exec --dir ${node?.dir}`;
  const ids = { main: "", team: "", other: "", job1: "", job2: "" };
  /** The nodes' heartbeat (the recurring one when installed) run now, and its end awaited. */
  const heartbeatNow = async () => {
    const { task } = await s.svc.engine.enqueue({ kind: "node.heartbeat", payload: {} });
    const since = Date.now();
    if (task.state === "queued") await s.svc.engine.rerun(task);
    for (let i = 0; i < 300; i++) {
      const t = (await api("GET", `/api/v1/tasks/${task.id}`, undefined, w.keys.super)).body;
      if (t.finishedAt && Date.parse(t.finishedAt) >= since) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("the heartbeat did not run");
  };

  beforeAll(async () => {
    s.svc.engine.startWorker();
    node = await enrollNode(s, w.keys.super, {
      name: "cron-node",
      listen: "127.0.0.1",
      agentJson: {
        hosting: {
          homeRoot: join(base, "home"),
          keysDir: join(base, "keys"),
          cronDir,
          cronExec: [process.execPath, entry],
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
    const user = async (body: Record<string, unknown>, key = w.keys.accountAdmin) => {
      const r = await api("POST", "/api/v1/system-users", { node: node?.id, ...body }, key);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      await settled(r.body.taskId);
      return r.body.id as string;
    };
    ids.main = await user({ kind: "main", account: w.a, name: MAIN });
    ids.team = await user({ kind: "secondary", account: w.a, name: TEAM, home: "team" });
    ids.other = await user({ kind: "main", account: w.b, name: OTHER }, w.keys.otherAdmin);
  }, 180_000);

  afterAll(async () => {
    await node?.close();
    for (const name of made)
      try {
        execFileSync("/usr/sbin/userdel", ["--", name], { stdio: "ignore" });
      } catch {} // not made
    await sshd?.stop();
    await ftp?.stop();
    rmSync(base, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it("writes the account's cron file with the jobs' lines, as their users", async () => {
    const one = await api("POST", "/api/v1/cron-jobs", {
      account: w.a,
      systemUser: ids.main,
      schedule: "*/10 * * * *",
      command: "cd ~ && php artisan schedule:run >/dev/null 2>&1",
    });
    expect(one.status, JSON.stringify(one.body)).toBe(201);
    expect(one.body).toMatchObject({ user: MAIN, status: "pending", enabled: true, lastRun: null });
    ids.job1 = one.body.id;
    const two = await api("POST", "/api/v1/cron-jobs", {
      account: w.a,
      systemUser: ids.team,
      schedule: "@daily",
      command: 'id -u; echo "home=$HOME"; echo warn >&2; exit 3',
      env: { PATH: "/usr/bin:/bin" },
    });
    expect(two.status, JSON.stringify(two.body)).toBe(201);
    ids.job2 = two.body.id;
    await settled(two.body.taskId);
    expect(readFileSync(file(), "utf8")).toBe(
      [
        `# Steward: cron jobs of account ${w.a} (main user ${MAIN}); written by the agent, do not edit`,
        "",
        `# job ${ids.job1}`,
        "SHELL=/bin/sh",
        "PATH=/usr/local/bin:/usr/bin:/bin",
        'MAILTO=""',
        `*/10 * * * * ${exec()} ${w.a} ${ids.job1}`,
        "",
        `# job ${ids.job2}`,
        "SHELL=/bin/sh",
        "PATH=/usr/bin:/bin",
        'MAILTO=""',
        `@daily ${exec()} ${w.a} ${ids.job2}`,
        "",
      ].join("\n"),
    );
    const listed = await api("GET", `/api/v1/cron-jobs?account=${w.a}&limit=1`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((j: { id: string }) => j.id)).toEqual([ids.job1]);
    expect(listed.body.items[0]).toMatchObject({ status: "applied", user: MAIN });
    const next = await api(
      "GET",
      `/api/v1/cron-jobs?account=${w.a}&limit=1&cursor=${listed.body.nextCursor}`,
    );
    expect(next.body.items.map((j: { id: string }) => j.id)).toEqual([ids.job2]);
  });

  it("runs a job now as its user: uid in the output, exit status on the job", async () => {
    const run = await api("POST", `/api/v1/cron-jobs/${ids.job2}/run`);
    expect(run.status, JSON.stringify(run.body)).toBe(202);
    await settled(run.body.taskId, "failed");
    const uid = Number(execFileSync("id", ["-u", TEAM], { encoding: "utf8" }).trim());
    expect(uid).toBeGreaterThan(0);
    const log = await taskLogText(s, run.body.taskId);
    expect(log).toMatch(new RegExp(`^.*\\b${uid}$`, "m"));
    expect(log).toContain(`home=${join(base, "home", MAIN, "home", "team")}`);
    expect(log).toContain("warn");
    expect(log).toContain(`exit status 3 as uid ${uid}`);
    const job = await api("GET", `/api/v1/cron-jobs/${ids.job2}`, undefined, w.keys.reader);
    expect(job.body.lastRun).toMatchObject({
      taskId: run.body.taskId,
      exitCode: 3,
      state: "failed",
    });
    // the reader sees the job, cannot run it
    expect(
      (await api("POST", `/api/v1/cron-jobs/${ids.job2}/run`, undefined, w.keys.reader)).status,
    ).toBe(403);
    // a fixed command succeeds
    const fixed = await api("PATCH", `/api/v1/cron-jobs/${ids.job2}`, { command: "id -un" });
    await settled(fixed.body.taskId);
    const ok = await api("POST", `/api/v1/cron-jobs/${ids.job2}/run`);
    await settled(ok.body.taskId);
    expect(await taskLogText(s, ok.body.taskId)).toMatch(new RegExp(`^.*\\b${TEAM}$`, "m"));
    expect((await api("GET", `/api/v1/cron-jobs/${ids.job2}`)).body.lastRun).toMatchObject({
      exitCode: 0,
      state: "done",
    });
  });

  it("reports scheduled runs: as the user, collected at the node's heartbeat, heartbeat monitor up", async () => {
    const made = await api("POST", "/api/v1/cron-jobs", {
      account: w.a,
      systemUser: ids.main,
      schedule: "*/5 * * * *",
      command: "id -u; echo scheduled",
      heartbeat: true,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const monitorId = made.body.heartbeatMonitorId as string;
    expect(monitorId).toMatch(/^mon_/);
    await settled(made.body.taskId);
    const monitor = await api("GET", `/api/v1/monitors/${monitorId}`, undefined, w.keys.reader);
    expect(monitor.body).toMatchObject({ kind: "heartbeat", intervalSeconds: 300 });
    // the token is in the job's root-only file, never in the world-readable cron.d file
    const text = readFileSync(file(), "utf8");
    expect(text).toContain(`*/5 * * * * ${exec()} ${w.a} ${made.body.id}`);
    expect(text).not.toContain("scheduled");
    const jobFile = join(node?.dir ?? "", "cron", "jobs", w.a, `${made.body.id}.json`);
    const st = statSync(jobFile);
    expect([st.mode & 0o777, st.uid]).toEqual([0o600, 0]);
    const token = JSON.parse(readFileSync(jobFile, "utf8")).heartbeatToken as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(text).not.toContain(token);
    // cron runs the lines (the job now succeeds, job2 fails)
    const fail = await api("PATCH", `/api/v1/cron-jobs/${ids.job2}`, {
      command: "echo bad >&2; exit 4",
    });
    await settled(fail.body.taskId);
    const after = readFileSync(file(), "utf8");
    expect(await runLine(after, made.body.id)).toBe(0);
    expect(await runLine(after, ids.job2)).toBe(4);
    // the node's heartbeat says runs wait: the panel collects them
    await heartbeatNow();
    const lastRun = async (id: string) => {
      for (let i = 0; i < 300; i++) {
        const r = (await api("GET", `/api/v1/cron-jobs/${id}`, undefined, w.keys.reader)).body;
        if (r.lastRun?.kind === "scheduled") return r.lastRun;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no scheduled run of ${id} recorded`);
    };
    const uid = Number(execFileSync("id", ["-u", MAIN], { encoding: "utf8" }).trim());
    expect(await lastRun(made.body.id)).toMatchObject({
      kind: "scheduled",
      state: "done",
      exitCode: 0,
      uid,
      output: `${uid}\nscheduled\n`,
      error: null,
    });
    expect(uid).not.toBe(0);
    expect(await lastRun(ids.job2)).toMatchObject({
      kind: "scheduled",
      state: "failed",
      exitCode: 4,
      output: "[stderr]\nbad\n",
    });
    // the successful run pinged the monitor: a check finds it up
    const check = await api("POST", `/api/v1/monitors/${monitorId}/check`);
    expect(check.body.outcome, JSON.stringify(check.body)).toBe("up");
    expect((await api("GET", `/api/v1/monitors/${monitorId}`)).body.state).toBe("up");
    // a heartbeat for a job that runs weekly is refused, nothing made; turning it off removes it
    const weekly = await api("PATCH", `/api/v1/cron-jobs/${made.body.id}`, { schedule: "@weekly" });
    expect([weekly.status, weekly.body.error?.details?.[0]?.field]).toEqual([400, "heartbeat"]);
    const off = await api("PATCH", `/api/v1/cron-jobs/${made.body.id}`, { heartbeat: false });
    expect(off.body.heartbeatMonitorId).toBeNull();
    expect((await api("GET", `/api/v1/monitors/${monitorId}`)).status).toBe(404);
    await settled(off.body.taskId);
    expect(JSON.parse(readFileSync(jobFile, "utf8")).heartbeatToken).toBeUndefined();
    const del = await api("DELETE", `/api/v1/cron-jobs/${made.body.id}?confirm=${made.body.id}`);
    await settled(del.body.taskId);
    expect(existsSync(jobFile)).toBe(false);
  }, 120_000);

  it("shows another account nothing and lets it use none of A's users", async () => {
    const b = w.keys.otherAdmin;
    expect((await api("GET", `/api/v1/cron-jobs/${ids.job1}`, undefined, b)).status).toBe(404);
    expect((await api("POST", `/api/v1/cron-jobs/${ids.job1}/run`, undefined, b)).status).toBe(404);
    expect((await api("GET", `/api/v1/cron-jobs?account=${w.a}`, undefined, b)).body.items).toEqual(
      [],
    );
    const steal = await api(
      "POST",
      "/api/v1/cron-jobs",
      { account: w.b, systemUser: ids.team, schedule: "* * * * *", command: "id" },
      b,
    );
    expect(steal.status).toBe(400);
    expect(steal.body.error.details?.[0]?.field).toBe("systemUser");
    expect(JSON.stringify(steal.body)).not.toContain(TEAM);
    // A's admin cannot put a job on B's user either
    const into = await api("POST", "/api/v1/cron-jobs", {
      account: w.a,
      systemUser: ids.other,
      schedule: "* * * * *",
      command: "id",
    });
    expect([into.status, into.body.error.details?.[0]?.field]).toEqual([400, "systemUser"]);
    expect(existsSync(join(cronDir, `steward-${w.b}`))).toBe(false);
  });

  it("refuses hostile commands, schedules and users naming the field; nothing changes", async () => {
    const before = readFileSync(file(), "utf8");
    const count = async () =>
      (await api("GET", `/api/v1/cron-jobs?account=${w.a}`)).body.items.length;
    const n = await count();
    const post = (body: Record<string, unknown>) =>
      api("POST", "/api/v1/cron-jobs", {
        account: w.a,
        systemUser: ids.main,
        schedule: "* * * * *",
        command: "true",
        ...body,
      });
    const field = (res: { body: { error: { details?: { field?: string }[] } } }) =>
      res.body.error.details?.[0]?.field;
    for (const command of BAD_CRON_COMMANDS) {
      const res = await post({ command });
      expect([res.status, field(res)], JSON.stringify(command)).toEqual([400, "body.command"]);
    }
    for (const schedule of BAD_CRON_SCHEDULES) {
      const res = await post({ schedule });
      expect([res.status, field(res)], JSON.stringify(schedule)).toEqual([400, "body.schedule"]);
    }
    for (const systemUser of ["root", "sysu_missing", ids.other]) {
      const res = await post({ systemUser });
      expect([res.status, field(res)], systemUser).toEqual([400, "systemUser"]);
    }
    const patch = await api("PATCH", `/api/v1/cron-jobs/${ids.job1}`, { command: "a\nb" });
    expect([patch.status, field(patch)]).toEqual([400, "body.command"]);
    expect(await count()).toBe(n);
    // a job's user is not deleted under it
    const del = await api("DELETE", `/api/v1/system-users/${ids.team}?confirm=${TEAM}`);
    expect(del.status).toBe(409);
    // the worker has nothing left to write: the file is as it was
    expect(readFileSync(file(), "utf8")).toBe(before);
  });

  it("a job for a user made a moment ago waits for the user's apply, then is written", async () => {
    const user = await api("POST", "/api/v1/system-users", {
      kind: "secondary",
      account: w.a,
      node: node?.id,
      name: LATE,
      home: "late",
    });
    const job = await api("POST", "/api/v1/cron-jobs", {
      account: w.a,
      systemUser: user.body.id,
      schedule: "@hourly",
      command: "true",
    });
    expect(job.status, JSON.stringify(job.body)).toBe(201);
    await settled(user.body.taskId);
    await settled(job.body.taskId);
    expect(readFileSync(file(), "utf8")).toContain(`@hourly ${exec()} ${w.a} ${job.body.id}`);
    const del = await api("DELETE", `/api/v1/cron-jobs/${job.body.id}?confirm=${job.body.id}`);
    await settled(del.body.taskId);
    expect(readFileSync(file(), "utf8")).not.toContain(job.body.id);
  }, 60_000);

  it("applies again, once, a file from before cron-exec the node's heartbeat reports", async () => {
    const current = readFileSync(file(), "utf8");
    // as agents wrote it before scheduled runs were reported: the command run as the user
    const old = current
      .split("\n")
      .map((l) => {
        if (!l.startsWith(`${l.split(" root ")[0]} ${exec()}`)) return l;
        return `${l.split(" root ")[0]} ${MAIN} echo old`;
      })
      .join("\n");
    expect(old).not.toContain("cron-exec");
    writeFileSync(file(), old);
    // another installation's file, an account this panel does not have: left alone
    const foreign = join(cronDir, "steward-acc_elsewhere");
    writeFileSync(foreign, "* * * * * nobody true\n");
    await heartbeatNow();
    for (let i = 0; i < 300 && readFileSync(file(), "utf8") !== current; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(readFileSync(file(), "utf8")).toBe(current);
    const taskId = (await api("GET", `/api/v1/cron-jobs/${ids.job1}`)).body.taskId;
    await settled(taskId);
    const job = (await api("GET", `/api/v1/cron-jobs/${ids.job1}`)).body;
    expect(job).toMatchObject({ status: "applied", taskId });
    const applies = async () =>
      (await api("GET", `/api/v1/tasks?kind=cron.apply&limit=100`, undefined, w.keys.super)).body
        .items.length as number;
    const count = await applies();
    // the next heartbeat finds the file current: nothing more is queued
    await heartbeatNow();
    expect(await applies()).toBe(count);
    expect(readFileSync(foreign, "utf8")).toBe("* * * * * nobody true\n");
    rmSync(foreign);
  });

  it("disables and deletes jobs: their lines go, the last one takes the file", async () => {
    expect((await api("DELETE", `/api/v1/cron-jobs/${ids.job1}?confirm=wrong`)).status).toBe(400);
    const off = await api("PATCH", `/api/v1/cron-jobs/${ids.job2}`, { enabled: false });
    await settled(off.body.taskId);
    expect(readFileSync(file(), "utf8")).not.toContain(ids.job2);
    const del = await api("DELETE", `/api/v1/cron-jobs/${ids.job1}?confirm=${ids.job1}`);
    expect(del.status).toBe(202);
    await settled(del.body.taskId);
    expect((await api("GET", `/api/v1/cron-jobs/${ids.job1}`)).status).toBe(404);
    expect(existsSync(file())).toBe(false);
  });
});
