// `npm run bench:sites [-- --json] [--sites N] [--runs N]`: adding one website to a node that
// already has N (default 1,000) static sites, through the agent's site.apply (render, stage,
// nginx -t, reload and wait for the new workers, verify over HTTP), timed --runs times
// (default 20) -> p50/p99, next to the floor any panel pays on the same nginx: write one
// file, nginx -t, reload, wait for the new workers, one request. Needs root (it creates one
// system user, stwbench-*, and deletes it). Progress goes to stderr; stdout carries the
// table, or with --json only {"results":[...]}.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  documentRoot,
  loadNginx,
  nodeConfig,
  type OpContext,
  renderSite,
  runOperation,
  siteApply,
  sitePaths,
} from "@steward/agent/testing";
import { siteApplyInput } from "@steward/contracts/agent";
import { startNginx } from "@steward/testkit";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    sites: { type: "string", default: "1000" },
    runs: { type: "string", default: "20" },
  },
});
const SITES = Number(values.sites);
const RUNS = Number(values.runs);
const BUDGET_P50_MS = 1000;
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);

interface Result {
  system: string;
  runs: number;
  p50Ms: number;
  p99Ms: number;
  /** median per step (steward) */
  steps?: Record<string, number>;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
};

async function main(): Promise<number> {
  if (process.getuid?.() !== 0) throw new Error("run as root: the bench creates a system user");
  const nginx = await startNginx({ listen: "127.0.0.2" });
  if (!nginx) throw new Error("nginx is missing (apt-get install nginx)");
  const dir = mkdtempSync(join(tmpdir(), "steward-bench-sites-"));
  chmodSync(dir, 0o755);
  const config = nodeConfig(nginx, null, dir);
  const user = `stwbench-${randomBytes(3).toString("hex")}`;
  const apply = (id: string) =>
    runOperation(
      siteApply,
      siteApplyInput.parse({ id, kind: "static", domains: [`${id}.bench.test`], user }),
      { config, requestId: `bench-${id}` },
    );
  try {
    say(`seeding ${SITES} static sites`);
    const first = await apply("seed-0");
    if (first.status !== "ok") throw new Error(`seeding failed: ${first.error?.message}`);
    const uid = Number(execFileSync("/usr/bin/id", ["-u", user]).toString());
    const gid = Number(execFileSync("/usr/bin/id", ["-g", user]).toString());
    // the other sites straight from the renderer, then one reload: applying them one by one
    // through the operation would only make the seeding slow
    for (let i = 1; i < SITES; i++) {
      const site = siteApplyInput.parse({
        id: `seed-${i}`,
        kind: "static",
        domains: [`seed-${i}.bench.test`, `www.seed-${i}.bench.test`],
        user,
      });
      const paths = sitePaths(config, site.id);
      const root = documentRoot(paths, site.root);
      mkdirSync(root, { recursive: true });
      chownSync(paths.home, uid, gid);
      chownSync(root, uid, gid);
      mkdirSync(paths.logDir, { recursive: true });
      writeFileSync(join(root, "index.html"), site.id);
      writeFileSync(
        paths.configFile,
        renderSite(
          site,
          { ...paths, documentRoot: root },
          { address: nginx.listen, port: nginx.port },
        ),
      );
    }
    await nginx.reload();
    await new Promise((r) => setTimeout(r, 1000));

    say(`adding one site ${RUNS} times (steward site.apply)`);
    const totals: number[] = [];
    const steps = new Map<string, number[]>();
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const r = await apply(`new-${i}`);
      totals.push(performance.now() - t0);
      if (r.status !== "ok") throw new Error(`apply failed: ${r.error?.message}`);
      for (const s of r.steps) {
        const key = stepKey(s.name);
        steps.set(key, [...(steps.get(key) ?? []), s.durationMs]);
      }
    }
    const stewardSteps = Object.fromEntries(
      [...steps].map(([k, v]) => [k, pct(v, 50)] as const).filter(([, v]) => v >= 1),
    );

    say(`the floor: one file, nginx -t, reload, one request, ${RUNS} times`);
    const floor: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await floorOnce(config, nginx, `floor-${i}`);
      floor.push(performance.now() - t0);
    }
    const results: Result[] = [
      {
        system: "steward site.apply",
        runs: RUNS,
        p50Ms: pct(totals, 50),
        p99Ms: pct(totals, 99),
        steps: stewardSteps,
      },
      {
        system: "floor (file + nginx -t + reload + GET)",
        runs: RUNS,
        p50Ms: pct(floor, 50),
        p99Ms: pct(floor, 99),
      },
    ];
    if (values.json) process.stdout.write(`${JSON.stringify({ results })}\n`);
    else process.stdout.write(table(results));
    return 0;
  } finally {
    await nginx.stop();
    rmSync(dir, { recursive: true, force: true });
    try {
      execFileSync("/usr/sbin/userdel", ["--", user], { stdio: "ignore" });
    } catch {}
  }
}

/** "write /tmp/x/sites/new-3/..." -> "write"; the steps' names without their paths. */
function stepKey(name: string): string {
  return name
    .replace(/ \/\S+/g, "")
    .replace(/stwbench-\w+/g, "<user>")
    .replace(/new-\d+/g, "<site>");
}

async function floorOnce(
  config: ReturnType<typeof nodeConfig>,
  nginx: NonNullable<Awaited<ReturnType<typeof startNginx>>>,
  id: string,
) {
  writeFileSync(
    join(nginx.sitesDir, `${id}.conf`),
    `server { listen ${nginx.listen}:${nginx.port}; server_name ${id}.bench.test; return 200 "ok"; }\n`,
  );
  execFileSync(nginx.commands.test[0] ?? "", nginx.commands.test.slice(1), { stdio: "ignore" });
  // the same wait for new workers as the agent's, without its step bookkeeping
  const ctx = {
    config,
    step: async (_: string, fn: () => unknown) => fn(),
    exec: async (_: string, argv: string[]) => {
      execFileSync(argv[0] ?? "", argv.slice(1), { stdio: "ignore" });
      return { exitCode: 0, stdout: "", stderr: "" };
    },
    changed() {},
  } as unknown as OpContext;
  await loadNginx(ctx);
  const r = await nginx.request(`${id}.bench.test`);
  if (r.status !== 200) throw new Error(`floor: ${id} answered ${r.status}`);
}

function table(results: Result[]): string {
  const rows = [
    ["system", "runs", "p50 ms", "p99 ms"],
    ...results.map((r) => [r.system, String(r.runs), r.p50Ms.toFixed(0), r.p99Ms.toFixed(0)]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  const steward = results[0];
  const out = [
    `adding one static site to a node with ${SITES} sites (hermetic nginx, 127.0.0.2)`,
    "",
    line(rows[0] ?? []),
    ...rows.slice(1).map(line),
    "",
    "steward, median per step (ms, steps of 1 ms and more):",
    ...Object.entries(steward?.steps ?? {}).map(([k, v]) => `  ${String(v).padStart(5)}  ${k}`),
    "",
    `${(steward?.p50Ms ?? Number.POSITIVE_INFINITY) <= BUDGET_P50_MS ? "ok  " : "MISS"} p50 <= ${BUDGET_P50_MS} ms with ${SITES} sites`,
  ];
  return `${out.join("\n")}\n`;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    say(`failed: ${(err as Error).stack ?? err}`);
    process.exit(1);
  },
);
