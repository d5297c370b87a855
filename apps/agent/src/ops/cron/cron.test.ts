// cron.apply, cron.run, cron-exec and cron.collect as root with real system users (useradd,
// the `steward/<main>` marker sysusers.apply gives them): the account's cron.d file exactly,
// 0644 root, each line running the agent's cron-exec as root and the jobs in 0600 root files
// (the heartbeat token never in cron.d), written atomically and idempotently, removed with the
// last job; a line run the way cron runs it executes the job as its user (never root), keeps
// the result in the spool cron.collect answers, and pings the heartbeat only on exit 0 (a local
// HTTP listener stands for the panel here; the real panel: cron-api.test.ts); hostile jobs (another account's
// user, root, newlines, `%`, out-of-range schedules) change nothing; run now executes as the
// user (its uid in `id -u`, never 0) with its exit status and output. Debian's cron daemon
// reads only /etc/crontab and /etc/cron.d (compiled in), so it is not started here: the file
// is checked by parsing it as cron does, and run now is the execution proof.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type CronApplyInput,
  type CronCollectOutput,
  cronScheduleProblem,
} from "@steward/contracts/hosting";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../config.ts";
import { runOperation } from "../framework.ts";
import { passwdEntry } from "../sites/dirs.ts";
import { cronApply } from "./apply.ts";
import { cronCollect } from "./collect.ts";
import { cronRun } from "./run.ts";

const root = process.getuid?.() === 0;
const work = mkdtempSync(join(tmpdir(), "stw-cron-"));
const cronDir = join(work, "cron.d");
const agentDir = join(work, "agent");
// cron-exec as the CLI's agent entry under this Node (the single-file agent on a node)
const entry = fileURLToPath(new URL("../../../../cli/src/agent-bin.ts", import.meta.url));
const hosting = { cronDir, cronExec: [process.execPath, entry] };
const config = parseConfig(agentDir, {
  nodeId: "test-node",
  panelUrl: "https://panel.test:7443",
  systemd: false,
  hosting,
});
const EXEC = `root ${process.execPath} ${entry} cron-exec --dir ${agentDir}`;
const TOKEN = "t".repeat(43);

const tag = randomBytes(3).toString("hex");
const MAIN = `stwtest-cm${tag}`;
const SEC = `stwtest-cs${tag}`;
const OTHER = `stwtest-co${tag}`;
const made: string[] = [];

/** A real user with sysusers.apply's marker (its home under the test's directory). */
function useradd(name: string, main: string) {
  execFileSync("/usr/sbin/useradd", [
    "--user-group",
    "--comment",
    `steward/${main}`,
    "--home-dir",
    join(work, "home", name),
    "--create-home",
    "--shell",
    "/usr/sbin/nologin",
    "--",
    name,
  ]);
  made.push(name);
}
if (root) {
  execFileSync("mkdir", ["-p", join(work, "home")]);
  useradd(MAIN, MAIN);
  useradd(SEC, MAIN);
  useradd(OTHER, OTHER);
}

afterAll(() => {
  for (const name of made)
    try {
      execFileSync("/usr/sbin/userdel", ["--", name], { stdio: "ignore" });
    } catch {} // already gone
  rmSync(work, { recursive: true, force: true });
});

const ACCOUNT = "acc_TEST01";
const file = join(cronDir, `steward-${ACCOUNT}`);
const op = (handler: typeof cronApply | typeof cronRun | typeof cronCollect, input: unknown) =>
  runOperation(handler, input, { config, requestId: `t-${randomBytes(3).toString("hex")}` });

const jobs: CronApplyInput["jobs"] = [
  {
    id: "cron_1",
    schedule: "*/5 * * * *",
    user: MAIN,
    command: "php artisan schedule:run",
    env: {},
    heartbeatToken: TOKEN,
  },
  {
    id: "cron_2",
    schedule: "@daily",
    user: SEC,
    command: "echo 'a;b' && ls \"$HOME\" > /dev/null",
    env: { PATH: "/opt/bin:/usr/bin:/bin", MAILTO: "ops@example.com" },
  },
];
const input = (j = jobs): CronApplyInput => ({ id: ACCOUNT, main: MAIN, jobs: j });

/** The file's job lines as cron reads them: schedule (5 fields or @word), user, command. */
function cronLines(text: string) {
  return text
    .split("\n")
    .filter((l) => l && !l.startsWith("#") && !/^[A-Z]+=/.test(l))
    .map((l) => {
      const f = l.split(/[ \t]+/);
      const n = f[0]?.startsWith("@") ? 1 : 5;
      return { schedule: f.slice(0, n).join(" "), user: f[n], command: f.slice(n + 1).join(" ") };
    });
}

describe.skipIf(!root)("cron jobs on a node (real users)", () => {
  it("writes the account's file exactly, 0644 root; a second run changes nothing", async () => {
    const r = await op(cronApply, input());
    expect(r.error).toBeUndefined();
    expect(r.status).toBe("ok");
    expect(r.changed).toBe(true);
    expect(readFileSync(file, "utf8")).toBe(
      [
        `# Steward: cron jobs of account ${ACCOUNT} (main user ${MAIN}); written by the agent, do not edit`,
        "",
        "# job cron_1",
        "SHELL=/bin/sh",
        "PATH=/usr/local/bin:/usr/bin:/bin",
        'MAILTO=""',
        `*/5 * * * * ${EXEC} ${ACCOUNT} cron_1`,
        "",
        "# job cron_2",
        "SHELL=/bin/sh",
        "PATH=/opt/bin:/usr/bin:/bin",
        "MAILTO=ops@example.com",
        `@daily ${EXEC} ${ACCOUNT} cron_2`,
        "",
      ].join("\n"),
    );
    const s = statSync(file);
    expect(s.mode & 0o777).toBe(0o644);
    expect([s.uid, s.gid]).toEqual([0, 0]);
    const lines = cronLines(readFileSync(file, "utf8"));
    expect(lines.map((l) => l.user)).toEqual(["root", "root"]);
    for (const l of lines) expect(cronScheduleProblem(l.schedule)).toBeNull();
    // the jobs themselves (and the heartbeat token) are in root-only files, never in cron.d
    expect(readFileSync(file, "utf8")).not.toContain(TOKEN);
    expect(readFileSync(file, "utf8")).not.toContain("artisan");
    const jobFile = join(agentDir, "cron", "jobs", ACCOUNT, "cron_1.json");
    expect(JSON.parse(readFileSync(jobFile, "utf8"))).toEqual({
      ...jobs[0],
      account: ACCOUNT,
      main: MAIN,
    });
    const js = statSync(jobFile);
    expect([js.mode & 0o777, js.uid, js.gid]).toEqual([0o600, 0, 0]);
    expect(statSync(join(agentDir, "cron", "jobs", ACCOUNT)).mode & 0o777).toBe(0o700);
    const again = await op(cronApply, input());
    expect(again.status).toBe("ok");
    expect(again.changed).toBe(false);
  });

  it("hostile jobs change nothing on the node", async () => {
    const before = readFileSync(file, "utf8");
    const bad: [Partial<CronApplyInput["jobs"][number]>, string][] = [
      [{ user: OTHER }, "NAME_TAKEN"],
      [{ user: "root" }, "OP_INPUT_INVALID"],
      [{ user: `stwtest-none${tag}` }, "USER_NOT_ALLOWED"],
      [{ command: "true\n* * * * * root sh -c evil" }, "OP_INPUT_INVALID"],
      [{ command: "true\rx" }, "OP_INPUT_INVALID"],
      [{ command: "true\0x" }, "OP_INPUT_INVALID"],
      [{ command: "date +%F" }, "OP_INPUT_INVALID"],
      [{ command: "x".repeat(1001) }, "OP_INPUT_INVALID"],
      [{ schedule: "61 * * * *" }, "OP_INPUT_INVALID"],
      [{ schedule: "* * * * * root" }, "OP_INPUT_INVALID"],
      [{ schedule: "@reboot" }, "OP_INPUT_INVALID"],
      [{ env: { PATH: "/bin\nMAILTO=x" } }, "OP_INPUT_INVALID"],
      [{ env: { SHELL: "/bin/bash" } as never }, "OP_INPUT_INVALID"],
    ];
    for (const [change, code] of bad) {
      const r = await op(cronApply, input([jobs[0] as never, { ...jobs[1], ...change } as never]));
      expect(r.status, JSON.stringify(change)).not.toBe("ok");
      expect(r.error?.code, JSON.stringify(change)).toBe(code);
      expect(readFileSync(file, "utf8")).toBe(before);
    }
    const badFile = await op(cronApply, { ...input(), id: "../../etc/x" });
    expect(badFile.error?.code).toBe("OP_INPUT_INVALID");
    expect(existsSync(join(work, "etc"))).toBe(false);
  });

  it("runs a job now as its user, never root: uid, exit status, output", async () => {
    const sec = await passwdEntry(SEC);
    const r = await op(cronRun, {
      main: MAIN,
      user: SEC,
      command: 'id -u; echo "home=$HOME path=$PATH"; pwd; echo oops >&2; exit 3',
      env: { PATH: "/usr/bin:/bin" },
      timeoutSeconds: 30,
    });
    expect(r.error).toBeUndefined();
    const out = r.output as { uid: number; exitCode: number; stdout: string; stderr: string };
    expect(out.uid).toBe(sec?.uid);
    expect(out.uid).not.toBe(0);
    expect(out.exitCode).toBe(3);
    expect(out.stdout.split("\n")).toEqual([
      String(sec?.uid),
      `home=${join(work, "home", SEC)} path=/usr/bin:/bin`,
      join(work, "home", SEC),
      "",
    ]);
    expect(out.stderr).toBe("oops\n");
    // the user cannot write what root owns: the job really is not root
    const w = await op(cronRun, {
      main: MAIN,
      user: MAIN,
      command: `touch ${cronDir}/x`,
      env: {},
      timeoutSeconds: 30,
    });
    expect((w.output as { exitCode: number }).exitCode).not.toBe(0);
    expect(existsSync(join(cronDir, "x"))).toBe(false);
  });

  it("run now refuses another account's user, root and hostile commands", async () => {
    for (const [change, code] of [
      [{ user: OTHER }, "NAME_TAKEN"],
      [{ user: "root" }, "OP_INPUT_INVALID"],
      [{ command: "id\nid" }, "OP_INPUT_INVALID"],
      [{ main: "root" }, "OP_INPUT_INVALID"],
    ] as const) {
      const r = await op(cronRun, {
        main: MAIN,
        user: SEC,
        command: "id -u",
        env: {},
        timeoutSeconds: 30,
        ...change,
      });
      expect(r.error?.code, JSON.stringify(change)).toBe(code);
      expect(r.steps.some((s) => s.name.startsWith("run the job"))).toBe(false);
    }
  });

  describe("scheduled runs: the line run as cron runs it", () => {
    const pings: string[] = [];
    const panel = createServer((req, res) => {
      pings.push(`${req.method} ${req.url}`);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    beforeAll(async () => {
      await new Promise<void>((r) => panel.listen(0, "127.0.0.1", r));
      const url = `http://127.0.0.1:${(panel.address() as AddressInfo).port}`;
      mkdirSync(agentDir, { recursive: true, mode: 0o700 });
      writeFileSync(
        join(agentDir, "agent.json"),
        JSON.stringify({ nodeId: "test-node", panelUrl: url, systemd: false, hosting }),
        { mode: 0o600 },
      );
    });
    afterAll(() => new Promise<void>((r) => panel.close(() => r())));

    /** The job's line from the cron.d file, run by /bin/sh with the file's variables as cron does. */
    function cronRuns(jobId: string) {
      const text = readFileSync(file, "utf8");
      const block = text.split("\n\n").find((b) => b.startsWith(`# job ${jobId}\n`)) ?? "";
      const vars = Object.fromEntries(
        block
          .split("\n")
          .filter((l) => /^[A-Z]+=/.test(l))
          .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
      );
      const [line] = cronLines(block);
      expect(line?.user).toBe("root");
      // not spawnSync: the listener standing for the panel answers the ping in this process
      const child = spawn("/bin/sh", ["-c", line?.command ?? "false"], {
        env: { ...vars, HOME: "/root", LOGNAME: "root" },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (b: Buffer) => {
        stdout += b;
      });
      child.stderr.on("data", (b: Buffer) => {
        stderr += b;
      });
      return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
        child.on("close", (status) => resolve({ status, stdout, stderr })),
      );
    }
    const collect = async (ack: string[] = []) => {
      const r = await op(cronCollect, { ack, limit: 100 });
      expect(r.error).toBeUndefined();
      return r.output as CronCollectOutput;
    };

    it("runs the job as its user (never root), keeps the result and pings only on success", async () => {
      const sec = await passwdEntry(SEC);
      const main = await passwdEntry(MAIN);
      await op(
        cronApply,
        input([
          { ...(jobs[0] as CronApplyInput["jobs"][number]), command: "id -u; echo done" },
          {
            ...(jobs[1] as CronApplyInput["jobs"][number]),
            command: "id -u; echo oops >&2; exit 3",
            heartbeatToken: "f".repeat(43),
          },
        ]),
      );
      const ok = await cronRuns("cron_1");
      expect(ok.status).toBe(0);
      // cron mails what the job printed (MAILTO): cron-exec passes it on
      expect(ok.stdout).toBe(`${main?.uid}\ndone\n`);
      const failed = await cronRuns("cron_2");
      expect(failed.status).toBe(3);
      expect(failed.stderr).toBe("oops\n");
      expect(pings).toEqual([`POST /api/v1/heartbeat/${TOKEN}`]);
      const spool = join(agentDir, "cron", "spool");
      const entries = readdirSync(spool);
      expect(entries).toHaveLength(2);
      for (const e of entries) {
        const st = statSync(join(spool, e));
        expect([st.mode & 0o777, st.uid]).toEqual([0o600, 0]);
      }
      const got = await collect();
      expect(got.more).toBe(0);
      expect(got.runs.map((r) => [r.jobId, r.user, r.uid, r.exitCode, r.heartbeat])).toEqual([
        ["cron_1", MAIN, main?.uid, 0, "sent"],
        ["cron_2", SEC, sec?.uid, 3, "none"],
      ]);
      expect(got.runs.every((r) => r.uid !== 0 && r.accountId === ACCOUNT)).toBe(true);
      expect(got.runs[1]).toMatchObject({ stdout: `${sec?.uid}\n`, stderr: "oops\n", error: null });
      // not acknowledged: answered again; acknowledged: gone
      expect((await collect()).runs).toHaveLength(2);
      expect((await collect(got.runs.map((r) => r.id))).runs).toEqual([]);
      expect(readdirSync(spool)).toEqual([]);
    }, 120_000);

    it("a job whose file is gone or whose user became root is reported, never run", async () => {
      rmSync(join(agentDir, "cron", "jobs", ACCOUNT, "cron_2.json"));
      const gone = await cronRuns("cron_2");
      expect(gone.status).toBe(1);
      const jobFile = join(agentDir, "cron", "jobs", ACCOUNT, "cron_1.json");
      const job = JSON.parse(readFileSync(jobFile, "utf8"));
      writeFileSync(jobFile, JSON.stringify({ ...job, user: "root" }), { mode: 0o600 });
      const rooted = await cronRuns("cron_1");
      expect(rooted.status).toBe(1);
      expect(rooted.stdout).toBe("");
      const got = await collect();
      expect(got.runs.map((r) => [r.jobId, r.uid, r.exitCode])).toEqual([
        ["cron_2", null, null],
        ["cron_1", null, null],
      ]);
      expect(got.runs[0]?.error).toBe(`the node has no cron job cron_2 of account ${ACCOUNT}`);
      expect(got.runs[1]?.error).toBe("the file of cron job cron_1 is not a job's");
      await collect(got.runs.map((r) => r.id));
    }, 120_000);
  });

  it("no jobs left: the file and the jobs' files go", async () => {
    const r = await op(cronApply, input([]));
    expect(r.status).toBe("ok");
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(join(agentDir, "cron", "jobs", ACCOUNT))).toEqual([]);
  });
});
