// `steward-agent cron-exec <account> <job>` (`steward agent cron-exec`): what each line of an
// account's cron.d file runs, as root (docs/hosting.md#scheduled-runs-reported-back). It reads
// the job from its root-only file (spool.ts; never from the world-readable cron.d line),
// checks its user as cron.apply does (the account's, never uid 0), runs the command as that
// user exactly as run now does (job-process.ts), keeps the result in the root-only spool for
// the panel, pings the job's heartbeat monitor when the command exited 0, and passes the
// output on to cron (which mails it to MAILTO when set). Its exit status is the job's.
import {
  CRON_RUN_TAIL_MAX,
  type CronRunRecord,
  cronJobSpec,
  cronRunRecord,
  heartbeatToken,
  mainUserName,
} from "@steward/contracts/hosting";
import { z } from "zod";
import { type AgentConfig, loadConfig } from "../../config.ts";
import { panelFetch } from "../../panel-fetch.ts";
import { run } from "../../system/exec.ts";
import { readIfExists } from "../../system/files.ts";
import { accountUser } from "./apply.ts";
import { jobProcess } from "./job-process.ts";
import { cronJobFile, newSpoolId, spoolRun } from "./spool.ts";

/** A scheduled run is stopped after this long. */
export const CRON_EXEC_TIMEOUT_MS = 6 * 3600_000;
const PING_TIMEOUT_MS = 10_000;

const ref = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** The job's root-only file, as cron.apply writes it. */
export const cronJobFileContent = cronJobSpec.extend({
  account: ref,
  main: mainUserName,
  heartbeatToken: heartbeatToken.optional(),
});
export type CronJobFileContent = z.infer<typeof cronJobFileContent>;

async function readJob(config: AgentConfig, account: string, job: string) {
  const raw = await readIfExists(cronJobFile(config, account, job));
  if (!raw) throw new Error(`the node has no cron job ${job} of account ${account}`);
  const parsed = cronJobFileContent.safeParse(JSON.parse(raw.toString("utf8")));
  if (!parsed.success || parsed.data.account !== account || parsed.data.id !== job)
    throw new Error(`the file of cron job ${job} is not a job's`);
  return parsed.data;
}

/** POSTs the heartbeat monitor's address at the agent's panel; null when it answered 2xx. */
async function ping(config: AgentConfig, token: string): Promise<string | null> {
  const url = `${config.panelUrl.replace(/\/+$/, "")}/api/v1/heartbeat/${token}`;
  try {
    const r = await panelFetch(config.panelPin)(url, {
      method: "POST",
      signal: AbortSignal.timeout(PING_TIMEOUT_MS),
    });
    await r.body?.cancel();
    return r.ok ? null : `the panel answered ${r.status}`;
  } catch (e) {
    return (e as Error).message.slice(0, 300);
  }
}

/** One scheduled run; answers the exit status cron-exec exits with. */
export async function runCronExec(o: { dir: string; account: string; job: string }) {
  const config = loadConfig(o.dir);
  const startedAt = Date.now();
  const record: CronRunRecord = {
    id: newSpoolId(),
    accountId: o.account,
    jobId: o.job,
    user: "",
    uid: null,
    exitCode: null,
    error: null,
    startedAt,
    durationMs: 0,
    stdout: "",
    stderr: "",
    heartbeat: "none",
    heartbeatError: null,
  };
  try {
    if (!ref.safeParse(o.account).success || !ref.safeParse(o.job).success)
      throw new Error("the account and the job are ids");
    const job = await readJob(config, o.account, o.job);
    record.user = job.user;
    const u = await accountUser(job.user, job.main);
    record.uid = u.uid;
    const p = jobProcess(config, job.user, u, job.command, job.env);
    const r = await run(p.argv, {
      env: p.env,
      cwd: p.cwd,
      timeoutMs: CRON_EXEC_TIMEOUT_MS,
      maxOutput: CRON_RUN_TAIL_MAX,
    });
    Object.assign(record, { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr });
    if (r.exitCode === 0 && job.heartbeatToken) {
      const failed = await ping(config, job.heartbeatToken);
      record.heartbeat = failed ? "failed" : "sent";
      record.heartbeatError = failed;
    }
  } catch (e) {
    record.error = (e as Error).message.slice(0, 500);
  }
  record.durationMs = Date.now() - startedAt;
  await spoolRun(config, cronRunRecord.parse(record));
  if (record.stdout) process.stdout.write(record.stdout);
  if (record.stderr) process.stderr.write(record.stderr);
  if (record.error) process.stderr.write(`steward cron-exec: ${record.error}\n`);
  return record.exitCode ?? 1;
}
