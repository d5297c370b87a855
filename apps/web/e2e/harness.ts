// End-to-end kit: a real `steward serve` process (SQLite or PostgreSQL) serving the built
// console, and Debian's Chromium driven by playwright-core. Pages are checked with axe.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { captureOutput, PASSWORD, spawnServe, warmUp } from "@steward/cli/testing/cli";
import { type DialectName, freePort, freshPostgresDatabase, missing } from "@steward/testkit";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";

export { PASSWORD };
export const CHROMIUM = process.env.STEWARD_CHROMIUM ?? "/usr/bin/chromium";

/** null (and the tests skip, or fail in CI) when Chromium is not installed. */
export function chromiumOrSkip(): string | null {
  return existsSync(CHROMIUM) ? CHROMIUM : missing("Chromium", "apt-get install chromium");
}

export interface Panel {
  /** http://localhost:PORT — localhost, because WebAuthn needs a domain as relying party */
  url: string;
  dataDir: string;
  setupToken: string;
  stderr: () => string;
  /** calls the API as the given cookie/key holder, or anonymously */
  api(
    method: string,
    path: string,
    opts?: { body?: unknown; key?: string },
    // biome-ignore lint/suspicious/noExplicitAny: tests read answers by shape and assert on them
  ): Promise<{ status: number; body: any }>;
  /** completes setup through the API and returns an API key of that super user */
  setupSuper(email: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startPanel(
  opts: {
    dialect?: DialectName;
    env?: Record<string, string>;
    /** an existing data directory (with users already: no setup token is awaited) */
    dataDir?: string;
  } = {},
): Promise<Panel> {
  await warmUp();
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "steward-e2e-"));
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const databaseUrl = opts.dialect === "postgres" ? await freshPostgresDatabase() : undefined;
  const child = spawnServe(dataDir, port, {
    STEWARD_PUBLIC_URL: url,
    STEWARD_LOG_LEVEL: "warn",
    // a console built elsewhere (parallel work builds into its own directory)
    STEWARD_CONSOLE_DIR: process.env.STEWARD_E2E_CONSOLE_DIR,
    STEWARD_DATABASE_URL: databaseUrl,
    ...opts.env,
  });
  const output = captureOutput(child);
  const deadline = Date.now() + 60_000;
  let token: string | undefined;
  while (!token) {
    token = /setup\?token=([A-Za-z0-9_-]+)/.exec(output.stderr)?.[1];
    if (opts.dataDir && /steward: serving /.test(output.stderr)) token = "";
    if (token === "") break;
    if (child.exitCode !== null) throw new Error(`steward serve exited:\n${output.stderr}`);
    if (Date.now() > deadline) throw new Error(`steward serve did not start:\n${output.stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const api: Panel["api"] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { origin: url };
    if (o.key) headers.authorization = `Bearer ${o.key}`;
    if (o.body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers,
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    url,
    dataDir,
    setupToken: token ?? "",
    stderr: () => output.stderr,
    api,
    async setupSuper(email, password = PASSWORD) {
      const r = await api("POST", "/api/v1/setup", { body: { token, email, password } });
      if (r.status !== 201) throw new Error(`setup failed: ${JSON.stringify(r.body)}`);
      const cookie = await signInCookie(port, url, email, password);
      const k = await fetch(`http://127.0.0.1:${port}/api/v1/api-keys`, {
        method: "POST",
        headers: { cookie, origin: url, "content-type": "application/json" },
        body: JSON.stringify({ name: "e2e" }),
      });
      const body = (await k.json()) as { key?: string };
      if (!body.key) throw new Error(`no API key: ${JSON.stringify(body)}`);
      return body.key;
    },
    async close() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function signInCookie(port: number, origin: string, email: string, password: string) {
  const res = await fetch(`http://127.0.0.1:${port}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { origin, "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

export async function launchChromium(executablePath = CHROMIUM): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
      "--host-resolver-rules=MAP localhost 127.0.0.1",
    ],
  });
}

/** A fresh browser context (its own cookies and storage) with a desktop-sized window. */
export function newContext(
  browser: Browser,
  opts: { width?: number; height?: number; colorScheme?: "light" | "dark" } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
    colorScheme: opts.colorScheme ?? "light",
  });
}

/** Signs in through the console's form (email and password; no second factor). */
export async function signInUi(page: Page, panel: Panel, email: string, password = PASSWORD) {
  await page.goto(`${panel.url}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
}

/** The page's section (a card) headed `heading`. */
export function section(page: Page, heading: string) {
  return page.locator("section").filter({ has: page.getByRole("heading", { name: heading }) });
}

/** Records the alert()/confirm() a page opens, dismissing them (hostile text must open none). */
export function recordDialogs(page: Page, into: string[]) {
  page.on("dialog", (d) => {
    into.push(d.message());
    void d.dismiss();
  });
}

/** A new context and page signed in as `email`, recording the browser dialogs it opens. */
export async function signedInPage(
  browser: Awaited<ReturnType<typeof launchChromium>>,
  panel: Panel,
  email: string,
  dialogs: string[],
  password = PASSWORD,
) {
  const context = await newContext(browser);
  const page = await context.newPage();
  // what a page waits for (a deployment's end, a list's refresh) took over 10 s on a loaded
  // 2-core machine; a passing wait ends as soon as what it waits for shows
  page.setDefaultTimeout(30_000);
  recordDialogs(page, dialogs);
  await signInUi(page, panel, email, password);
  return { context, page };
}

/**
 * axe's serious and critical violations on the page as it is now (WCAG 2 A/AA rules), once no
 * table is busy: a table dims its rows while a new filter's rows load (data-table.tsx), and
 * axe measures contrast as shown. Violations found are measured once more after the page has
 * settled, so that a refetch starting during the analysis is not taken for a page's colours.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  const settled = () => expect.poll(() => page.locator('table[aria-busy="true"]').count()).toBe(0);
  const analyze = async () => {
    await settled();
    const result = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  };
  const first = await analyze();
  if (first.length === 0) return first;
  await page.waitForTimeout(500);
  return analyze();
}
