// How a cron job's command runs as its user, for run now (cron.run) and for the scheduled runs
// (cron-exec): `setpriv --reuid U --regid G --init-groups -- /bin/sh -c COMMAND` (an argv, no
// shell of the agent's), in the user's home, with HOME, USER, LOGNAME, SHELL=/bin/sh and the
// job's PATH. The command is shell text by nature, which is acceptable only because the shell
// runs as the account's user, never as root (accountUser refuses uid 0).
import { CRON_DEFAULT_PATH, type CronEnv } from "@steward/contracts/hosting";
import type { AgentConfig } from "../../config.ts";

export interface JobUser {
  uid: number;
  gid: number;
  home: string;
}

export function jobProcess(
  config: Pick<AgentConfig, "hosting">,
  name: string,
  u: JobUser,
  command: string,
  env: CronEnv,
) {
  return {
    argv: [
      config.hosting.setpriv,
      "--reuid",
      String(u.uid),
      "--regid",
      String(u.gid),
      "--init-groups",
      "--",
      "/bin/sh",
      "-c",
      command,
    ],
    env: {
      HOME: u.home,
      USER: name,
      LOGNAME: name,
      SHELL: "/bin/sh",
      PATH: env.PATH ?? CRON_DEFAULT_PATH,
    },
    cwd: u.home,
  };
}
