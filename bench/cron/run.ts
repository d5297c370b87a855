// `npm run bench:cron [-- --json] [--jobs 10,100,500] [--runs 20]`: an account's cron file on a
// node (as root: a real useradd user with the account's marker, the cron.d directory in a
// temporary directory) for accounts of N jobs, and run now. steward: `cron.apply` through the
// agent's operation framework (the input checked again by its contracts, the user checked in
// /etc/passwd, the file rendered and written atomically, journaled for a rollback), then the
// same input again (nothing to change), then one job changed; `cron.run` of `true` as the
// user, one after another. floor: the file written by hand (write a temp file, rename) and
// `setpriv … /bin/sh -c true` spawned directly, with no checks. Progress on stderr; stdout the
// table, or with --json only
// {"results":[{"system","jobs","writeMs","rerunMs","changeMs","runMs","maxRssMb"}]}
// (runMs: the mean of --runs runs now).
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseConfig } from "@steward/agent";
import { cronApply, cronRun, runOperation } from "@steward/agent/testing";
import type { CronApplyInput } from "@steward/contracts/hosting";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    jobs: { type: "string", default: "10,100,500" },
    runs: { type: "string", default: "20" },
  },
});
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);

export interface Result {
  system: "steward" | "floor";
  jobs: number;
  writeMs: number;
  rerunMs: number | null;
  changeMs: number | null;
  runMs: number;
  maxRssMb: number;
}

const round = (n: number) => Math.round(n * 10) / 10;
const rss = () => round(process.resourceUsage().maxRSS / 1024);
const time = async (work: () => Promise<unknown> | unknown) => {
  const start = performance.now();
  await work();
  return round(performance.now() - start);
};
const ok = (r: { status: string; error?: { message: string } }) => {
  if (r.status !== "ok") throw new Error(r.error?.message ?? r.status);
};

async function main() {
  if (process.getuid?.() !== 0) throw new Error("bench:cron needs root (useradd, setpriv)");
  const work = mkdtempSync(join(tmpdir(), "stw-bench-cron-"));
  const cronDir = join(work, "cron.d");
  const user = `stwbench-c${randomBytes(3).toString("hex")}`;
  const runs = Number(values.runs);
  const config = parseConfig(join(work, "agent"), {
    nodeId: "bench-node",
    panelUrl: "https://panel.test:7443",
    systemd: false,
    hosting: { cronDir },
  });
  const op = (handler: typeof cronApply | typeof cronRun, input: unknown) =>
    runOperation(handler, input, { config, requestId: randomBytes(4).toString("hex") });
  execFileSync("/usr/sbin/useradd", [
    ...["--user-group", "--comment", `steward/${user}`, "--home-dir", work, "--", user],
  ]);
  const results: Result[] = [];
  try {
    for (const n of values.jobs.split(",").map(Number)) {
      say(`${n} jobs`);
      const input = (command: string): CronApplyInput => ({
        id: `acc_bench${n}`,
        main: user,
        jobs: Array.from({ length: n }, (_, i) => ({
          id: `cron_${i}`,
          schedule: `${i % 60} * * * *`,
          user,
          command: i === 0 ? command : `php /srv/app${i}/artisan schedule:run >/dev/null 2>&1`,
          env: {},
        })),
      });
      const writeMs = await time(async () => ok(await op(cronApply, input("true"))));
      const rerunMs = await time(async () => ok(await op(cronApply, input("true"))));
      const changeMs = await time(async () => ok(await op(cronApply, input("false"))));
      const run = { main: user, user, command: "true", env: {}, timeoutSeconds: 60 };
      const runTotal = await time(async () => {
        for (let i = 0; i < runs; i++) ok(await op(cronRun, run));
      });
      results.push({
        system: "steward",
        jobs: n,
        writeMs,
        rerunMs,
        changeMs,
        runMs: round(runTotal / runs),
        maxRssMb: rss(),
      });
      const floorDir = join(work, "floor");
      mkdirSync(floorDir, { recursive: true });
      const floorWrite = await time(() => {
        const text = input("true")
          .jobs.map((j) => `${j.schedule} ${j.user} ${j.command}\n`)
          .join("");
        writeFileSync(join(floorDir, ".tmp"), text, { mode: 0o644 });
        renameSync(join(floorDir, ".tmp"), join(floorDir, `steward-${n}`));
      });
      const uid = execFileSync("id", ["-u", user], { encoding: "utf8" }).trim();
      const floorRuns = await time(() => {
        for (let i = 0; i < runs; i++)
          execFileSync("setpriv", [
            ...["--reuid", uid, "--regid", uid, "--init-groups", "--", "/bin/sh", "-c", "true"],
          ]);
      });
      results.push({
        system: "floor",
        jobs: n,
        writeMs: floorWrite,
        rerunMs: null,
        changeMs: null,
        runMs: round(floorRuns / runs),
        maxRssMb: rss(),
      });
    }
  } finally {
    try {
      execFileSync("/usr/sbin/userdel", ["--", user], { stdio: "ignore" });
    } catch {} // not made
    rmSync(work, { recursive: true, force: true });
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ results })}\n`);
    return;
  }
  process.stdout.write("system    jobs  write ms  re-run ms  change ms  run now ms  max RSS MB\n");
  for (const r of results)
    process.stdout.write(
      `${r.system.padEnd(8)} ${String(r.jobs).padStart(5)} ${String(r.writeMs).padStart(9)} ${String(r.rerunMs ?? "-").padStart(10)} ${String(r.changeMs ?? "-").padStart(10)} ${String(r.runMs).padStart(11)} ${String(r.maxRssMb).padStart(11)}\n`,
    );
}

await main();
