// The hostile values of hostile-input.test.ts for the cron jobs API (issue 19): commands with
// newlines, CRs, NULs, control characters and `%`, 1,001 characters; schedules out of range
// (`61 * * * *`), six fields, a user field smuggled in, @reboot, shell; environment names off
// the allow-list (SHELL, LD_PRELOAD) and values with newlines; users that are root, missing
// or not the account's; a heartbeat that is not a boolean; bad ids and confirmations. All refused with a 4xx naming the field
// before anything is written or any task is queued.
import { BAD_CRON_COMMANDS, BAD_CRON_SCHEDULES } from "@steward/contracts/testing";
import { CONTROL, enc, SQL } from "./hostile.ts";
import { badIds, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

export function cronCases(account: string): Case[] {
  const list = "/api/v1/cron-jobs";
  const job = {
    account,
    systemUser: "sysu_missing",
    schedule: "*/5 * * * *",
    command: "php artisan schedule:run",
  };
  return [
    ...bodyCases("POST", list, job),
    ...fieldCases("POST", list, job, "account", [SQL[0], "../x", null]),
    ...fieldCases("POST", list, job, "systemUser", [SQL[0], "../x", null, 5]),
    // root, a missing user, another account's: "not a system user of the account"
    ["POST", list, { ...job, systemUser: "root" }, 400, V, "systemUser"],
    ["POST", list, job, 400, V, "systemUser"],
    ...fieldCases("POST", list, job, "command", [
      ...BAD_CRON_COMMANDS,
      ...CONTROL.map((c) => `a${c}b`),
      null,
      5,
    ]),
    ...fieldCases("POST", list, job, "schedule", [...BAD_CRON_SCHEDULES, ...SQL, null]),
    ["POST", list, { ...job, env: { SHELL: "/bin/bash" } }, 400, V, "body.env.SHELL"],
    ["POST", list, { ...job, env: { LD_PRELOAD: "/tmp/x.so" } }, 400, V, "body.env.LD_PRELOAD"],
    ["POST", list, { ...job, env: { PATH: "/bin\nMAILTO=x" } }, 400, V, "body.env.PATH"],
    ["POST", list, { ...job, env: { PATH: "/bin:../x" } }, 400, V, "body.env.PATH"],
    ["POST", list, { ...job, env: { MAILTO: "a@b\nPATH=/tmp" } }, 400, V, "body.env.MAILTO"],
    ...fieldCases("POST", list, job, "enabled", ["yes", 1]),
    ...fieldCases("POST", list, job, "heartbeat", ["yes", 1, "true; rm -rf /"]),
    ["PATCH", `${list}/cron_missing`, { heartbeat: "no" }, 400, V, "body.heartbeat"],
    ["GET", `${list}?account=${enc(SQL[0])}`, undefined, 400, V, "querystring.account"],
    ...badIds.slice(0, 2).flatMap((id): Case[] => [
      ["GET", `${list}/${id}`, undefined, 400, V, "params.id"],
      ["PATCH", `${list}/${id}`, { enabled: false }, 400, V, "params.id"],
      ["DELETE", `${list}/${id}?confirm=x`, undefined, 400, V, "params.id"],
      ["POST", `${list}/${id}/run`, undefined, 400, V, "params.id"],
    ]),
    ["PATCH", `${list}/cron_missing`, {}, 400, V, "body"],
    ["PATCH", `${list}/cron_missing`, { command: "a\nb" }, 400, V, "body.command"],
    ["PATCH", `${list}/cron_missing`, { command: "date +%F" }, 400, V, "body.command"],
    ["PATCH", `${list}/cron_missing`, { schedule: "61 * * * *" }, 400, V, "body.schedule"],
    ["PATCH", `${list}/cron_missing`, { env: { SHELL: "/bin/sh" } }, 400, V, "body.env.SHELL"],
    ["DELETE", `${list}/cron_missing`, undefined, 400, V, "querystring.confirm"],
  ];
}
