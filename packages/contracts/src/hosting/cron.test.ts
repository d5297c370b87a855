import { describe, expect, it } from "vitest";
import { cronCommand, cronDSchedule, cronEnv, cronScheduleProblem } from "./cron.ts";
import { cronJobCreate } from "./cron-api.ts";

describe("cron job contracts", () => {
  it("schedules: five fields in range, names, steps, lists, @words", () => {
    for (const ok of [
      "* * * * *",
      "*/5 * * * *",
      "0 3 * * 1-5",
      "15,45 0-23/2 1 jan-jun sun",
      "59 23 31 12 7",
      "@daily",
      "@hourly",
    ])
      expect(cronScheduleProblem(ok), ok).toBeNull();
    const bad: [string, RegExp][] = [
      ["61 * * * *", /minute: 61 is out of range 0-59/],
      ["* 24 * * *", /hour: 24/],
      ["* * 0 * *", /day of month: 0/],
      ["* * * 13 *", /month: 13/],
      ["* * * * 8", /day of week: 8/],
      ["*/0 * * * *", /step/],
      ["5-1 * * * *", /backwards/],
      ["* * * *", /five fields/],
      ["* * * * * *", /five fields/],
      ["* * * * * root", /five fields/],
      ["@reboot", /must be five fields or one of/],
      ["*;rm * * * *", /minute/],
      ["* * * * `id`", /day of week/],
    ];
    for (const [s, m] of bad) expect(cronScheduleProblem(s), s).toMatch(m);
    expect(cronDSchedule.safeParse("x".repeat(200)).success).toBe(false);
    expect(cronDSchedule.safeParse("* * * * *\n* * * * *").success).toBe(false);
  });

  it("commands: one line, no %, at most 1,000 characters", () => {
    expect(
      cronCommand.safeParse("cd ~/app && php artisan schedule:run >/dev/null 2>&1").success,
    ).toBe(true);
    expect(cronCommand.safeParse("x".repeat(1000)).success).toBe(true);
    for (const bad of ["a\nb", "a\rb", "a\0b", "date +%F", "x".repeat(1001), "", " lead", "a\x1bb"])
      expect(cronCommand.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });

  it("environment: PATH and MAILTO only, each checked", () => {
    expect(cronEnv.safeParse({ PATH: "/usr/bin:/bin", MAILTO: "" }).success).toBe(true);
    for (const bad of [
      { SHELL: "/bin/bash" },
      { LD_PRELOAD: "/tmp/x.so" },
      { PATH: "bin" },
      { PATH: "/bin:/../x" },
      { PATH: "/bin\nMAILTO=x" },
      { MAILTO: "a@b\nPATH=/tmp" },
    ])
      expect(cronEnv.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });

  it("an API body names the field", () => {
    const r = cronJobCreate.safeParse({
      account: "acc_1",
      systemUser: "sysu_1",
      schedule: "61 * * * *",
      command: "true",
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["schedule"]);
  });
});
