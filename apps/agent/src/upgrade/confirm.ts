// The start of an upgraded single-file agent: while `upgrade-pending` is there, this version
// is on trial. The first request from the panel it authenticates confirms it (the file goes);
// without one within upgradeConfirmSeconds it exits, and the rollback script that runs after
// every exit of the agent (install/agent.sh writes it: the unit's ExecStopPost, or the
// --no-systemd runner) puts the previous binary back. After a rollback, the previous agent
// says so in its log.
import { readFileSync, rmSync } from "node:fs";
import { isSea } from "node:sea";
import type { Logger } from "pino";
import { upgradeFiles } from "./files.ts";

const read = (file: string) => {
  try {
    return readFileSync(file, "utf8").trim().slice(0, 64);
  } catch {
    return null;
  }
};

export function pendingUpgrade(log: Logger, confirmSeconds: number, version: string) {
  const files = upgradeFiles();
  const none = { confirm() {}, stop() {} };
  if (!isSea()) return none;
  const failed = read(files.rolledBack);
  if (failed !== null) {
    log.warn({ failed }, `the upgrade to ${failed} did not come up; rolled back to ${version}`);
    rmSync(files.rolledBack, { force: true });
  }
  const trying = read(files.pending);
  if (trying === null) return none;
  log.info(`upgraded to ${version}: waiting up to ${confirmSeconds} s for the panel to reach it`);
  const timer = setTimeout(() => {
    log.error(`the panel did not reach this agent within ${confirmSeconds} s: rolling back`);
    process.exit(1);
  }, confirmSeconds * 1000);
  let confirmed = false;
  return {
    confirm() {
      if (confirmed) return;
      confirmed = true;
      clearTimeout(timer);
      rmSync(files.pending, { force: true });
      log.info(`the panel reached this agent: the upgrade to ${version} is confirmed`);
    },
    stop: () => clearTimeout(timer),
  };
}
