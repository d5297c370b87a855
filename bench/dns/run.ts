// `npm run bench:dns [-- --json] [--records N] [--zones N] [--changes N] [--only a,b]`: one
// record change applied to a zone of N records (default 10,000) and to the Nth zone of a node
// (default 1,000), on PowerDNS and on BIND, each through a real agent (dns.zone.apply, as the
// panel sends it: the whole zone, the next serial). Change-to-served: from the operation's
// request until the server answers the changed record over DNS; p50 and p99 of --changes
// changes (default 50). Progress on stderr; stdout the table, or with --json only
// {"results":[{"system","records","zones","p50Ms","p99Ms"}]}.
import { parseArgs } from "node:util";
import { checkZone, type DnsRecord } from "@steward/contracts/dns";
import { percentile } from "../tasks/harness.ts";
import { type DnsSystem, SYSTEMS, type SystemName, startSystem } from "./system.ts";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    records: { type: "string", default: "10000" },
    zones: { type: "string", default: "1000" },
    changes: { type: "string", default: "50" },
    only: { type: "string", default: SYSTEMS.join(",") },
  },
});
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);
const number = (name: "records" | "zones" | "changes", min = 1) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} takes a whole number ≥ ${min}`);
  return n;
};

export interface Result {
  system: SystemName;
  records: number;
  zones: number;
  p50Ms: number;
  p99Ms: number;
}

const address = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/** A zone: NS at the apex, `count - 1` A records h0…, and `probe` at the given address. */
function zoneRecords(zone: string, count: number, probe: number): DnsRecord[] {
  const inputs = [
    { name: "@", type: "NS" as const, value: "ns1.example.net." },
    { name: "probe", type: "A" as const, value: address(probe) },
    ...Array.from({ length: Math.max(0, count - 2) }, (_, i) => ({
      name: `h${i}`,
      type: "A" as const,
      value: address(i),
    })),
  ];
  const checked = checkZone(zone, inputs);
  if (!checked.records) throw new Error(JSON.stringify(checked.issues.slice(0, 3)));
  return checked.records;
}

/** `changes` changes of `probe`'s address in one zone: each timed until it is served. */
async function measure(system: DnsSystem, zone: string, count: number, changes: number) {
  const times: number[] = [];
  for (let i = 1; i <= changes; i++) {
    const records = zoneRecords(zone, count, 100_000 + i);
    const want = address(100_000 + i);
    const start = performance.now();
    await system.apply(zone, 1 + i, records);
    for (let tries = 0; !(await system.resolveA(`probe.${zone}`)).includes(want); tries++)
      if (tries > 200) throw new Error(`probe.${zone} never answered ${want}`);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return { p50Ms: round(percentile(times, 50)), p99Ms: round(percentile(times, 99)) };
}

/** The servers running: stopped on SIGINT/SIGTERM too (no named or pdns_server left behind). */
const running = new Set<DnsSystem>();
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    void Promise.all([...running].map((s) => s.stop())).finally(() => process.exit(130));
  });

async function runSystem(name: SystemName, o: { records: number; zones: number; changes: number }) {
  const system = await startSystem(name);
  running.add(system);
  const done = (r: Result) => {
    say(`${JSON.stringify(r)}`);
    return r;
  };
  try {
    const results: Result[] = [];
    const big = "big.bench.test";
    say(`${name}: a zone of ${o.records} records`);
    await system.apply(big, 1, zoneRecords(big, o.records, 0));
    results.push(
      done({
        system: name,
        records: o.records,
        zones: 1,
        ...(await measure(system, big, o.records, o.changes)),
      }),
    );
    // the big zone is the first: z1 … z(N-1) make the changed zone the Nth on the node
    say(`${name}: ${o.zones} zones`);
    for (let i = 1; i < o.zones; i++) {
      const zone = `z${i}.bench.test`;
      await system.apply(zone, 1, zoneRecords(zone, 2, 0));
      if (i % 100 === 0) say(`${name}: ${i} zones served`);
    }
    const last = `z${o.zones - 1}.bench.test`;
    results.push(
      done({
        system: name,
        records: 2,
        zones: o.zones,
        ...(await measure(system, last, 2, o.changes)),
      }),
    );
    return results;
  } finally {
    running.delete(system);
    await system.stop();
  }
}

async function main(): Promise<number> {
  const only = (values.only ?? "").split(",");
  for (const s of only)
    if (!(SYSTEMS as readonly string[]).includes(s)) throw new Error(`--only takes ${SYSTEMS}`);
  const o = {
    records: number("records", 2),
    zones: number("zones", 2),
    changes: number("changes"),
  };
  const results: Result[] = [];
  let failed = false;
  for (const name of SYSTEMS.filter((s) => only.includes(s))) {
    try {
      results.push(...(await runSystem(name, o)));
    } catch (err) {
      failed = true;
      say(`${name} failed: ${(err as Error).stack ?? err}`);
    }
  }
  if (values.json) process.stdout.write(`${JSON.stringify({ results })}\n`);
  else {
    const cols = ["system", "records", "zones", "p50Ms", "p99Ms"] as const;
    const lines = [cols, ...results.map((r) => cols.map((c) => String(r[c])))];
    process.stdout.write(`${lines.map((l) => l.map((c) => c.padEnd(9)).join(" ")).join("\n")}\n`);
  }
  return failed ? 1 : 0;
}

const watchdog = setTimeout(() => {
  say("watchdog: the run took more than 60 minutes");
  process.exit(2);
}, 60 * 60_000);
watchdog.unref();
main().then(
  (code) => process.exit(code),
  (err) => {
    say(String((err as Error).stack ?? err));
    process.exit(1);
  },
);
