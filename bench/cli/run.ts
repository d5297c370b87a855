// `npm run bench:cli [-- --json] [--runs N] [--warmup N]`: how long `steward` takes to start
// and answer, next to `node -e 0` on the same Node: `--help`, `--version`, `user list` (on a
// migrated SQLite data directory) as the launcher runs them (the CLI's prebuilt bundle, built
// here first with apps/cli/src/bundle.ts), `--help` and `user list` from the sources, and
// `--help` through the launcher (apps/cli/bin/steward, what `npx steward` runs). Each round runs every command once, each round starting with the
// next command, so drift of the machine does not land on one of them; figures are the
// min/median/max of --runs rounds (default 20) after --warmup rounds (default 3) that fill
// the compile cache. Progress goes to stderr; stdout carries the table, or with --json only
// {"results":[{"system","command","medianMs","minMs","maxMs","ratio"}]}.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    runs: { type: "string", default: "20" },
    warmup: { type: "string", default: "3" },
  },
});
const RUNS = Number(values.runs);
const WARMUP = Number(values.warmup);
/** the target of issue 11: `steward --help` (and `user list`) within 3x `node -e 0` */
const TARGET_RATIO = 3;
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);

const root = resolve(import.meta.dirname, "../..");
const sources = join(root, "apps/cli/src/main.ts");
const work = mkdtempSync(join(tmpdir(), "steward-bench-cli-"));
const bundle = join(work, "cli");
const node = process.execPath;
say("building the CLI's bundle");
execFileSync(node, [join(root, "apps/cli/src/bundle.ts"), bundle], { stdio: "inherit" });
const main = join(bundle, "main.js");

interface Case {
  system: string;
  command: string;
  argv: [string, ...string[]];
  /** checked by the targets */
  target?: boolean;
}

const cases: Case[] = [
  { system: "node", command: "node -e 0", argv: [node, "-e", "0"] },
  { system: "steward", command: "steward --help", argv: [node, main, "--help"], target: true },
  { system: "steward", command: "steward --version", argv: [node, main, "--version"] },
  {
    system: "steward",
    command: "steward user list",
    argv: [node, main, "user", "list"],
    target: true,
  },
  {
    system: "sources",
    command: "steward --help (sources)",
    argv: [node, sources, "--help"],
  },
  {
    system: "sources",
    command: "steward user list (sources)",
    argv: [node, sources, "user", "list"],
  },
  {
    system: "launcher",
    command: "apps/cli/bin/steward --help",
    argv: ["/bin/sh", join(root, "apps/cli/bin/steward"), "--help"],
  },
];

interface Result {
  system: string;
  command: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** median over the median of `node -e 0` */
  ratio: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const round1 = (x: number) => Math.round(x * 10) / 10;

function timeOnce(c: Case, env: NodeJS.ProcessEnv): number {
  const [file, ...args] = c.argv;
  const started = process.hrtime.bigint();
  const r = spawnSync(file, args, { env, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${c.command} exited ${r.status ?? r.signal}: ${r.stderr}`);
  return ms;
}

function run(): Result[] {
  try {
    // a data directory of its own and a compile cache of its own, filled by the warm-up
    const env = {
      ...process.env,
      STEWARD_DATA_DIR: join(work, "data"),
      NODE_COMPILE_CACHE: join(work, "compile-cache"),
    };
    const times = new Map<Case, number[]>(cases.map((c) => [c, []]));
    for (let round = 0; round < WARMUP + RUNS; round++) {
      if (round === WARMUP) say(`${WARMUP} warm-up rounds done; ${RUNS} rounds`);
      for (let i = 0; i < cases.length; i++) {
        const c = cases[(round + i) % cases.length] as Case;
        const ms = timeOnce(c, env);
        if (round >= WARMUP) times.get(c)?.push(ms);
      }
    }
    const floor = median(times.get(cases[0] as Case) ?? []);
    return cases.map((c) => {
      const xs = times.get(c) ?? [];
      return {
        system: c.system,
        command: c.command,
        medianMs: round1(median(xs)),
        minMs: round1(Math.min(...xs)),
        maxMs: round1(Math.max(...xs)),
        ratio: Math.round((median(xs) / floor) * 100) / 100,
      };
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** the 1-minute load average: ratios hold on a busy machine, absolute times do not */
const load = () => (loadavg()[0] ?? 0).toFixed(2);
say(`node ${process.version}; ${cases.length} commands, ${WARMUP} + ${RUNS} rounds`);
const loadBefore = load();
const results = run();
say(`load average (1 min): ${loadBefore} before, ${load()} after`);
if (values.json) process.stdout.write(`${JSON.stringify({ results })}\n`);
else {
  const rows = results.map((r) => [
    r.command,
    String(r.medianMs),
    String(r.minMs),
    String(r.maxMs),
    `${r.ratio}x`,
  ]);
  const head = ["command", "median ms", "min ms", "max ms", "vs node -e 0"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  for (const row of [head, ...rows])
    process.stdout.write(`${row.map((v, i) => v.padEnd(widths[i] ?? 0)).join("  ")}\n`);
  for (const c of cases.filter((x) => x.target)) {
    const r = results.find((x) => x.command === c.command);
    const ok = r !== undefined && r.ratio <= TARGET_RATIO;
    process.stdout.write(`${ok ? "ok  " : "MISS"} ${c.command} <= ${TARGET_RATIO}x node -e 0\n`);
  }
}
