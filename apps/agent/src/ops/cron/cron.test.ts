// cron.apply and cron.run as root with real system users (useradd, the `steward/<main>`
// marker sysusers.apply gives them): the account's cron.d file exactly, 0644 root, written
// atomically and idempotently, removed with the last job; hostile jobs (another account's
// user, root, newlines, `%`, out-of-range schedules) change nothing; run now executes as the
// user (its uid in `id -u`, never 0) with its exit status and output. Debian's cron daemon
// reads only /etc/crontab and /etc/cron.d (compiled in), so it is not started here: the file
// is checked by parsing it as cron does, and run now is the execution proof.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CronApplyInput, cronScheduleProblem } from "@steward/contracts/hosting";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../config.ts";
import { runOperation } from "../framework.ts";
import { passwdEntry } from "../sites/dirs.ts";
import { cronApply } from "./apply.ts";
import { cronRun } from "./run.ts";

const root = process.getuid?.() === 0;
const work = mkdtempSync(join(tmpdir(), "stw-cron-"));
const cronDir = join(work, "cron.d");
const config = parseConfig(join(work, "agent"), {
  nodeId: "test-node",
  panelUrl: "https://panel.test:7443",
  systemd: false,
  hosting: { cronDir },
});

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
const op = (handler: typeof cronApply | typeof cronRun, input: unknown) =>
  runOperation(handler, input, { config, requestId: `t-${randomBytes(3).toString("hex")}` });

const jobs: CronApplyInput["jobs"] = [
  {
    id: "cron_1",
    schedule: "*/5 * * * *",
    user: MAIN,
    command: "php artisan schedule:run",
    env: {},
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
        `*/5 * * * * ${MAIN} php artisan schedule:run`,
        "",
        "# job cron_2",
        "SHELL=/bin/sh",
        "PATH=/opt/bin:/usr/bin:/bin",
        "MAILTO=ops@example.com",
        `@daily ${SEC} echo 'a;b' && ls "$HOME" > /dev/null`,
        "",
      ].join("\n"),
    );
    const s = statSync(file);
    expect(s.mode & 0o777).toBe(0o644);
    expect([s.uid, s.gid]).toEqual([0, 0]);
    const lines = cronLines(readFileSync(file, "utf8"));
    expect(lines.map((l) => l.user)).toEqual([MAIN, SEC]);
    for (const l of lines) expect(cronScheduleProblem(l.schedule)).toBeNull();
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

  it("no jobs left: the file goes", async () => {
    const r = await op(cronApply, input([]));
    expect(r.status).toBe("ok");
    expect(existsSync(file)).toBe(false);
  });
});
