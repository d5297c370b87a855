// Which accounts' cron.d files the health answer names as not running this agent's cron-exec
// (the panel applies them again): a file of lines from before cron-exec, or of another agent's
// path; never one that runs it, a file not of the `steward-<account>` form, or a missing dir.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cronExecArgv, renderCronFile } from "./render.ts";
import { STALE_REPORTED, staleCronAccounts } from "./stale.ts";

const work = mkdtempSync(join(tmpdir(), "stw-cron-stale-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const configOf = (cronDir: string) => ({
  dir: join(work, "agent"),
  hosting: { cronDir, cronExec: ["/usr/local/lib/steward/steward-agent"] },
});
const job = (id: string) => ({
  id,
  schedule: "*/5 * * * *",
  user: "shop",
  command: "php artisan schedule:run",
  env: {},
});

describe("cron files from before cron-exec", () => {
  it("names the accounts whose files do not run this agent's cron-exec, in name order", async () => {
    const cronDir = join(work, "cron.d");
    mkdirSync(cronDir);
    const config = configOf(cronDir);
    const exec = cronExecArgv(config);
    const write = (name: string, text: string) => writeFileSync(join(cronDir, name), text);
    const current = (account: string, jobs: string[]) =>
      renderCronFile({ id: account, main: "shop", jobs: jobs.map(job) }, exec);
    write("steward-acc_now", current("acc_now", ["cron_1", "cron_2"]));
    write("steward-acc_empty", current("acc_empty", []));
    // before cron-exec: `schedule user command`
    write("steward-acc_old", current("acc_old", ["cron_3"]).replace(/root .*$/m, "shop true"));
    // one line of two from before (a file edited by hand, half rewritten)
    const half = current("acc_half", ["cron_4", "cron_5"]).split("\n");
    write("steward-acc_half", [...half.slice(0, -2), "@daily shop true", ""].join("\n"));
    // another agent's path, or another account's lines in this account's file
    write(
      "steward-acc_moved",
      current("acc_moved", ["cron_6"]).replace(exec[0] as string, "/opt/x"),
    );
    write("steward-acc_swap", current("acc_other", ["cron_7"]));
    // not Steward's, or not a name cron.d reads
    write("php", "09,39 * * * * root true\n");
    write("steward-acc.bad", "* * * * * root true\n");
    expect(await staleCronAccounts(config)).toEqual([
      "acc_half",
      "acc_moved",
      "acc_old",
      "acc_swap",
    ]);
  });

  it("names at most STALE_REPORTED at once, and none without a cron.d", async () => {
    const cronDir = join(work, "many");
    mkdirSync(cronDir);
    for (let i = 0; i < STALE_REPORTED + 5; i++)
      writeFileSync(
        join(cronDir, `steward-acc_${String(i).padStart(3, "0")}`),
        "@daily shop true\n",
      );
    const stale = await staleCronAccounts(configOf(cronDir));
    expect(stale).toHaveLength(STALE_REPORTED);
    expect(stale[0]).toBe("acc_000");
    expect(await staleCronAccounts(configOf(join(work, "missing")))).toEqual([]);
  });
});
