// `npm run bench:web [-- --runs N]`: what the console costs a browser. Builds the console,
// starts `steward serve` (SQLite) on a data directory holding 10,000 tasks and 10,000 audit
// events, and measures in headless Chromium (Debian's, via playwright-core):
//   - the JavaScript the sign-in page and the dashboard load, gzipped (budget 250 KB)
//   - the dashboard's largest-contentful-paint (median of N cold loads)
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { launchChromium, newContext, startPanel } from "@steward/web/e2e/harness";
import type { Page } from "playwright-core";
import { EMAIL, PASSWORD, seed } from "./seed.ts";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    tasks: { type: "string", default: "10000" },
    audit: { type: "string", default: "10000" },
  },
});
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);
const BUDGET_KB = 250;

/** Loads a page and adds up the gzipped size of every script it fetched. */
async function scriptsOf(page: Page, url: string, ready: () => Promise<unknown>) {
  const sizes = new Map<string, number>();
  const pending: Promise<void>[] = [];
  page.on("response", (res) => {
    if (res.request().resourceType() !== "script") return;
    pending.push(
      res.body().then((b) => {
        sizes.set(new URL(res.url()).pathname, gzipSync(b, { level: 9 }).length);
      }),
    );
  });
  await page.goto(url);
  await ready();
  await page.waitForLoadState("networkidle");
  await Promise.all(pending);
  return [...sizes.values()].reduce((a, b) => a + b, 0);
}

async function lcpOf(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        new PerformanceObserver((list) => {
          const last = list.getEntries().at(-1);
          resolve(last ? last.startTime : Number.NaN);
        }).observe({ type: "largest-contentful-paint", buffered: true });
      }),
  );
}

async function main() {
  say("building the console");
  execFileSync(
    process.execPath,
    ["../../node_modules/vite/bin/vite.js", "build", "--logLevel", "warn"],
    {
      cwd: new URL("../../apps/web/", import.meta.url).pathname,
      stdio: "inherit",
    },
  );
  say(`seeding ${values.tasks} tasks and ${values.audit} audit events`);
  const dataDir = await seed({ tasks: Number(values.tasks), audit: Number(values.audit) });
  const panel = await startPanel({ dataDir });
  const browser = await launchChromium();
  try {
    // sign-in page, anonymous
    let ctx = await newContext(browser);
    let page = await ctx.newPage();
    const signInBytes = await scriptsOf(page, `${panel.url}/sign-in`, () =>
      page.getByRole("button", { name: "Sign in", exact: true }).waitFor(),
    );
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(`${panel.url}/`);
    const state = await ctx.storageState();
    await ctx.close();

    // dashboard, signed in, cold cache each run
    const lcps: number[] = [];
    let dashboardBytes = 0;
    for (let i = 0; i < Number(values.runs); i++) {
      ctx = await browser.newContext({
        storageState: state,
        viewport: { width: 1280, height: 800 },
      });
      page = await ctx.newPage();
      const bytes = await scriptsOf(page, `${panel.url}/`, () =>
        page.getByRole("heading", { level: 1 }).first().waitFor(),
      );
      dashboardBytes = Math.max(dashboardBytes, bytes);
      lcps.push(await lcpOf(page));
      await ctx.close();
    }
    lcps.sort((a, b) => a - b);
    const median = lcps[Math.floor(lcps.length / 2)] ?? Number.NaN;
    const kb = (n: number) => (n / 1024).toFixed(1);
    const rows = [
      ["measure", "value", "budget"],
      ["sign-in page JS (gzip)", `${kb(signInBytes)} KB`, `${BUDGET_KB} KB`],
      ["dashboard JS (gzip)", `${kb(dashboardBytes)} KB`, `${BUDGET_KB} KB`],
      [
        `dashboard LCP (median of ${lcps.length}, ${values.tasks} tasks, ${values.audit} audit events)`,
        `${median.toFixed(0)} ms`,
        "",
      ],
      ["dashboard LCP (min / max)", `${lcps[0]?.toFixed(0)} / ${lcps.at(-1)?.toFixed(0)} ms`, ""],
    ];
    const w = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length))) ?? [];
    for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(w[c] ?? 0)).join("  "));
    if (signInBytes > BUDGET_KB * 1024 || dashboardBytes > BUDGET_KB * 1024) process.exitCode = 1;
  } finally {
    await browser.close();
    await panel.close();
  }
}

await main();
