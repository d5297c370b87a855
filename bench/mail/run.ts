// `npm run bench:mail [-- --json] [--mailboxes N] [--clients C] [--burst M]`: N mailboxes
// (default 5,000) created on one node, as creates arriving together: for Steward, C API
// clients (default 8) each POSTing one mailbox after another to a panel with a real agent
// (panel.ts), each create timed from its request until the mail.apply that answered it ended
// verified (the address accepted at RCPT, Dovecot knowing it); for the floor, the same
// arrivals replayed as lines appended to the same kind of files directly, Postfix reloaded,
// timed until RCPT accepts them (floor.ts). mapRebuildMs: writing the maps and passwd-file of
// N mailboxes once (Steward's: the last apply's staging, from the agent's answer). Both on a
// hermetic Postfix + Dovecot each (@steward/testkit). Then M messages (default 1,000) to those
// mailboxes over SMTP (burst.ts): the acceptance rate with Steward's maps and with the
// floor's. Progress on stderr; stdout the table, or with --json only {"results":[{"system",
// "mailboxes","p50Ms","p99Ms","mapRebuildMs","burstMessages","burstMsgsPerSec","applies",
// "totalS","load"}]}.
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { type MailServer, startMail } from "@steward/testkit";
import { loadAverage } from "../monitors/proc.ts";
import { percentile } from "../tasks/harness.ts";
import { burst } from "./burst.ts";
import { type FloorRun, floorCreates } from "./floor.ts";
import { panelCreates } from "./panel.ts";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    mailboxes: { type: "string", default: "5000" },
    clients: { type: "string", default: "8" },
    burst: { type: "string", default: "1000" },
  },
});
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);
const whole = (flag: string, value: string | undefined) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} takes a whole number ≥ 1`);
  return n;
};
const count = whole("mailboxes", values.mailboxes);
const clients = whole("clients", values.clients);
const messages = whole("burst", values.burst);

export interface Result {
  system: "steward" | "floor";
  mailboxes: number;
  p50Ms: number;
  p99Ms: number;
  mapRebuildMs: number;
  burstMessages: number;
  /** messages accepted (250 after DATA) per second during the burst */
  burstMsgsPerSec: number;
  /** Steward: mail.apply tasks run for the creates; the floor: Postfix reloads */
  applies: number;
  /** from the first create's request until the last one was verified */
  totalS: number;
  /** the load average (1 min) when the creates were done */
  load: number;
}

const DOMAIN = "bench.test";
// the floor's one hash for every mailbox (Steward's panel hashes each password itself)
const HASH = execFileSync("/usr/bin/doveadm", ["pw", "-s", "ARGON2ID", "-p", "bench-password"], {
  encoding: "utf8",
}).trim();
const address = (i: number) => `user${i}@${DOMAIN}`;
const round = (n: number) => Math.round(n * 10) / 10;
const summary = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)) };
};

async function onMail<T>(run: (m: MailServer) => Promise<T>): Promise<T> {
  const m = await startMail({ managed: true });
  if (!m) throw new Error("this machine has no Postfix and Dovecot to run against (root only)");
  try {
    return await run(m);
  } finally {
    await m.stop();
  }
}

const results: Result[] = [];
let arrivals: number[] = [];
for (const system of ["steward", "floor"] as const) {
  say(`${system}: creating ${count} mailboxes`);
  const result = await onMail(async (m) => {
    let run: FloorRun;
    if (system === "steward") {
      const created = await panelCreates(m, { domain: DOMAIN, count, clients, say });
      arrivals = created.arrivals;
      run = created;
    } else run = await floorCreates(m, { domain: DOMAIN, hash: HASH, arrivals });
    const load = loadAverage();
    say(`${system}: ${run.applies} applies in ${run.totalS} s; a burst of ${messages} messages`);
    const rate = await burst(m, (i) => address(i % count), messages);
    return {
      system,
      mailboxes: count,
      ...summary(run.times),
      mapRebuildMs: round(run.mapRebuildMs),
      burstMessages: messages,
      burstMsgsPerSec: rate,
      applies: run.applies,
      totalS: run.totalS,
      load,
    };
  });
  results.push(result);
  say(JSON.stringify(result));
}
if (values.json) process.stdout.write(`${JSON.stringify({ results })}\n`);
else {
  process.stdout.write(
    "system   mailboxes  p50 ms  p99 ms  map rebuild ms  applies  total s  burst  msgs/s  load\n",
  );
  for (const r of results)
    process.stdout.write(
      `${[
        r.system.padEnd(8),
        String(r.mailboxes).padStart(9),
        String(r.p50Ms).padStart(7),
        String(r.p99Ms).padStart(7),
        String(r.mapRebuildMs).padStart(15),
        String(r.applies).padStart(8),
        String(r.totalS).padStart(8),
        String(r.burstMessages).padStart(6),
        String(r.burstMsgsPerSec).padStart(7),
        String(r.load).padStart(5),
      ].join(" ")}\n`,
    );
}
