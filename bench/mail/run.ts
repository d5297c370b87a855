// `npm run bench:mail [-- --json] [--mailboxes N] [--burst M]`: N mailboxes created one after another on
// one node (default 5,000): for Steward, each create is mail.apply through a real agent (mTLS,
// the operation route) with the node's whole state, timed from the request until the agent
// answers (its verify: the new address accepted at RCPT, Dovecot knowing it); for the floor,
// the same mailbox appended to the same kind of files directly, Postfix reloaded, timed until
// RCPT accepts it (no checks, no rollback, no proof beyond RCPT). mapRebuildMs: writing the
// maps and passwd-file of N mailboxes once (Steward's from the agent's answer). Both run on a
// hermetic Postfix + Dovecot each (@steward/testkit). Progress on stderr; stdout the table, or
// with --json only {"results":[{"system","mailboxes","p50Ms","p99Ms","mapRebuildMs",
// "burstMessages","burstMsgsPerSec"}]}. Then M messages (default 1,000) to those mailboxes
// over SMTP (burst.ts): the acceptance rate with Steward's maps and with the floor's.
import { execFileSync } from "node:child_process";
import { appendFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { mailSection, probeRcpt, startTestAgent } from "@steward/agent/testing";
import { opStreamLine } from "@steward/contracts/agent";
import { type MailServer, startMail } from "@steward/testkit";
import { percentile } from "../tasks/harness.ts";
import { burst } from "./burst.ts";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    mailboxes: { type: "string", default: "5000" },
    burst: { type: "string", default: "1000" },
  },
});
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);
const count = Number(values.mailboxes);
if (!Number.isInteger(count) || count < 1) throw new Error("--mailboxes takes a whole number ≥ 1");
const messages = Number(values.burst);
if (!Number.isInteger(messages) || messages < 1)
  throw new Error("--burst takes a whole number ≥ 1");

export interface Result {
  system: "steward" | "floor";
  mailboxes: number;
  p50Ms: number;
  p99Ms: number;
  mapRebuildMs: number;
  burstMessages: number;
  /** messages accepted (250 after DATA) per second during the burst */
  burstMsgsPerSec: number;
}
type Created = Omit<Result, "burstMessages" | "burstMsgsPerSec">;

const DOMAIN = "bench.test";
// one hash for every mailbox: hashing is the panel's (~40 ms each), not the node's work
const HASH = execFileSync("/usr/bin/doveadm", ["pw", "-s", "ARGON2ID", "-p", "bench-password"], {
  encoding: "utf8",
}).trim();
const address = (i: number) => `user${i}@${DOMAIN}`;
const round = (n: number) => Math.round(n * 10) / 10;
const summary = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)) };
};

async function steward(m: MailServer): Promise<Created> {
  const agent = await startTestAgent({ mail: mailSection(m) });
  try {
    const mailboxes: { address: string; hash: string; quotaMb: number; enabled: boolean }[] = [];
    const times: number[] = [];
    let mapMs = 0;
    for (let i = 0; i < count; i++) {
      mailboxes.push({ address: address(i), hash: HASH, quotaMb: 100, enabled: true });
      const input = { domains: [DOMAIN], mailboxes, aliases: [], certificate: null };
      const start = performance.now();
      const r = await agent.call("/v1/ops/mail.apply", { body: { version: 1, input } });
      const last = r
        .lines()
        .map((l) => opStreamLine.parse(l))
        .at(-1);
      times.push(performance.now() - start);
      if (last?.type !== "result" || last.result.status !== "ok")
        throw new Error(`mail.apply failed: ${JSON.stringify(last)}`);
      mapMs = (last.result.output as { mapMs: number }).mapMs;
      if ((i + 1) % 100 === 0) say(`steward: ${i + 1} mailboxes`);
    }
    return { system: "steward", mailboxes: count, ...summary(times), mapRebuildMs: mapMs };
  } finally {
    await agent.stop();
  }
}

async function floor(m: MailServer): Promise<Created> {
  const managed = m.managed;
  if (!managed) throw new Error("managed mail expected");
  const file = (name: string) => join(managed.configDir, name);
  const past = () => new Date(Date.now() - 2_000);
  writeFileSync(file("domains"), `${DOMAIN} ok\n`);
  utimesSync(file("domains"), past(), past());
  const reload = () =>
    execFileSync("/usr/sbin/postfix", ["-c", managed.postfixConfigDir, "reload"], {
      stdio: "ignore",
    });
  const line = (i: number) => ({
    map: `${address(i)} ${DOMAIN}/user${i}/\n`,
    user: `${address(i)}:${HASH}:${managed.uid}:${managed.gid}::${managed.mailRoot}/${DOMAIN}/user${i}::userdb_quota_rule=*:storage=100M\n`,
  });
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const { map, user } = line(i);
    appendFileSync(file("mailboxes"), map);
    utimesSync(file("mailboxes"), past(), past());
    appendFileSync(file("users"), user);
    reload();
    for (let tries = 0; ; tries++) {
      const [answer] = await probeRcpt({ host: m.host, port: m.ports.smtp }, [address(i)]);
      if (answer && answer.code < 300) break;
      if (tries > 400) throw new Error(`${address(i)} never accepted: ${answer?.text}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    times.push(performance.now() - start);
    if ((i + 1) % 100 === 0) say(`floor: ${i + 1} mailboxes`);
  }
  // the maps of `count` mailboxes written once, directly
  const start = performance.now();
  const lines = Array.from({ length: count }, (_, i) => line(i));
  writeFileSync(file("mailboxes"), lines.map((l) => l.map).join(""));
  writeFileSync(file("users"), lines.map((l) => l.user).join(""));
  const mapRebuildMs = round(performance.now() - start);
  return { system: "floor", mailboxes: count, ...summary(times), mapRebuildMs };
}

const results: Result[] = [];
for (const [name, run] of [
  ["steward", steward],
  ["floor", floor],
] as const) {
  const m = await startMail({ managed: true });
  if (!m) throw new Error("this machine has no Postfix and Dovecot to run against (root only)");
  try {
    say(`${name}: creating ${count} mailboxes`);
    const created = await run(m);
    say(`${name}: a burst of ${messages} messages`);
    const rate = await burst(m, (i) => address(i % count), messages);
    results.push({ ...created, burstMessages: messages, burstMsgsPerSec: rate });
  } finally {
    await m.stop();
  }
}
if (values.json) process.stdout.write(`${JSON.stringify({ results })}\n`);
else {
  process.stdout.write("system   mailboxes  p50 ms  p99 ms  map rebuild ms  burst  msgs/s\n");
  for (const r of results)
    process.stdout.write(
      `${r.system.padEnd(8)} ${String(r.mailboxes).padStart(9)} ${String(r.p50Ms).padStart(7)} ${String(r.p99Ms).padStart(7)} ${String(r.mapRebuildMs).padStart(15)} ${String(r.burstMessages).padStart(6)} ${String(r.burstMsgsPerSec).padStart(7)}\n`,
    );
}
