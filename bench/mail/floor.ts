// bench:mail, the floor: the same creates arriving at the same moments as Steward's (its
// arrivals replayed), each appended as one line to the same kind of files directly; one loop
// reloads Postfix for whatever arrived since its last reload and waits until RCPT accepts the
// newest address (no checks, no rollback, no proof beyond RCPT). A create's time runs from its
// arrival until that RCPT answer.
import { execFileSync } from "node:child_process";
import { appendFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { probeRcpt } from "@steward/agent/testing";
import type { MailServer } from "@steward/testkit";

export interface FloorRun {
  times: number[];
  /** Postfix reloads */
  applies: number;
  /** writing the files of every mailbox once */
  mapRebuildMs: number;
  totalS: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function floorCreates(
  m: MailServer,
  o: { domain: string; hash: string; arrivals: number[] },
): Promise<FloorRun> {
  const managed = m.managed;
  if (!managed) throw new Error("managed mail expected");
  const file = (name: string) => join(managed.configDir, name);
  const past = () => new Date(Date.now() - 2_000);
  const address = (i: number) => `user${i}@${o.domain}`;
  writeFileSync(file("domains"), `${o.domain} ok\n`);
  utimesSync(file("domains"), past(), past());
  const line = (i: number) => ({
    map: `${address(i)} ${o.domain}/user${i}/\n`,
    user: `${address(i)}:${o.hash}:${managed.uid}:${managed.gid}::${managed.mailRoot}/${o.domain}/user${i}::\n`,
  });
  const count = o.arrivals.length;
  const times: number[] = [];
  let [appended, verified, reloads] = [0, 0, 0];
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  while (verified < count) {
    for (; appended < count && (o.arrivals[appended] ?? 0) <= now(); appended++) {
      const { map, user } = line(appended);
      appendFileSync(file("mailboxes"), map);
      appendFileSync(file("users"), user);
    }
    if (appended === verified) {
      await sleep(Math.max(1, (o.arrivals[appended] ?? 0) - now()));
      continue;
    }
    const upTo = appended;
    utimesSync(file("mailboxes"), past(), past());
    execFileSync("/usr/sbin/postfix", ["-c", managed.postfixConfigDir, "reload"], {
      stdio: "ignore",
    });
    reloads++;
    for (let tries = 0; ; tries++) {
      const [answer] = await probeRcpt({ host: m.host, port: m.ports.smtp }, [address(upTo - 1)]);
      if (answer && answer.code < 300) break;
      if (tries > 400) throw new Error(`${address(upTo - 1)} never accepted: ${answer?.text}`);
      await sleep(25);
    }
    const at = now();
    for (; verified < upTo; verified++) times.push(at - (o.arrivals[verified] ?? 0));
  }
  const totalS = Math.round(now() / 100) / 10;
  const start = performance.now();
  const lines = Array.from({ length: count }, (_, i) => line(i));
  writeFileSync(file("mailboxes"), lines.map((l) => l.map).join(""));
  writeFileSync(file("users"), lines.map((l) => l.user).join(""));
  const mapRebuildMs = Math.round((performance.now() - start) * 10) / 10;
  return { times, applies: reloads, mapRebuildMs, totalS };
}
