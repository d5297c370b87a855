// The safe update's screenshots (docs/cms.md#the-visual-check): a CMS site's home page in the
// panel machine's Chromium (playwright-core, loaded only when a check runs), headless, at a
// fixed viewport, animations and transitions off. Chromium gets no network of its own: every
// name resolves to nothing and every connection goes to a proxy that does not exist (loopback
// included). Each request the page makes is intercepted: a GET of the site's own origin is made
// by the panel under the outbound policy (outboundRequest: every address checked at connect
// time), its answer handed to the page; anything else (another origin, a POST) is aborted.
// Redirects are followed by the panel, each hop checked: the home page's before the page opens
// (its final address is the origin the page may use), a resource's within that origin.
import { existsSync } from "node:fs";
import type { OutboundPolicy } from "@steward/contracts/net";
import type { Browser, Route } from "playwright-core";
import { panelAddresses } from "../../lib/outbound.ts";
import { outboundRequest } from "../../lib/outbound-http.ts";

export const VIEWPORT = { width: 1280, height: 800 } as const;

/** Request headers the page's requests keep; the rest (encodings, hop-by-hop) are left out. */
const KEPT_REQUEST = ["accept", "accept-language", "cookie", "referer", "user-agent"];
/** Answer headers the page does not get: the panel has read the body already. */
const DROPPED_ANSWER = new Set(["content-length", "transfer-encoding", "content-encoding"]);

const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
  "--hide-scrollbars",
  "--font-render-hinting=none",
  // no network of its own: names resolve to nothing, connections go to a proxy that is not there
  "--host-resolver-rules=MAP * ~NOTFOUND",
  "--proxy-server=http://steward-no-network.invalid:1",
  "--proxy-bypass-list=<-loopback>",
];

export interface Shooter {
  /** a screenshot (PNG) of the home page in a fresh browser context */
  shoot(): Promise<Buffer>;
  close(): Promise<void>;
}

export interface ShooterOptions {
  /** Chromium's executable (the `chromium` setting, default /usr/bin/chromium) */
  executable: string;
  /** the site's home page */
  url: string;
  policy: OutboundPolicy;
  timeoutMs?: number;
}

/** A browser for the site's screenshots, or why there is none (Chromium missing or not starting). */
export async function openShooter(options: ShooterOptions): Promise<Shooter | string> {
  if (!existsSync(options.executable))
    return `Chromium is not installed on the panel's machine (${options.executable}; the chromium setting, STEWARD_CHROMIUM)`;
  let browser: Browser;
  try {
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({
      executablePath: options.executable,
      headless: true,
      args: ARGS,
    });
  } catch (error) {
    const why = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    return `Chromium (${options.executable}) did not start: ${why}`;
  }
  return {
    shoot: () => shoot(browser, options),
    close: () => browser.close(),
  };
}

async function shoot(browser: Browser, options: ShooterOptions): Promise<Buffer> {
  const timeout = options.timeoutMs ?? 30_000;
  const context = await browser.newContext({
    viewport: VIEWPORT,
    deviceScaleFactor: 1,
    colorScheme: "light",
    reducedMotion: "reduce",
    locale: "en-US",
    timezoneId: "UTC",
    serviceWorkers: "block",
    acceptDownloads: false,
  });
  try {
    const home = (await fetchFollowing(options.url, "GET", {}, options.policy, timeout, null)).url;
    const origin = new URL(home).origin;
    await context.route("**/*", (route) => forward(route, origin, options.policy, timeout));
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    await page.goto(home, { waitUntil: "load", timeout });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    return await page.screenshot({
      type: "png",
      fullPage: false,
      animations: "disabled",
      caret: "hide",
      timeout,
    });
  } finally {
    await context.close();
  }
}

/** One request of the page: made by the panel under the outbound policy when it is the site's. */
async function forward(route: Route, origin: string, policy: OutboundPolicy, timeoutMs: number) {
  const request = route.request();
  const method = request.method();
  if (new URL(request.url()).origin !== origin || (method !== "GET" && method !== "HEAD"))
    return route.abort("blockedbyclient");
  const sent = request.headers();
  const headers = Object.fromEntries(
    KEPT_REQUEST.flatMap((h) => (sent[h] === undefined ? [] : [[h, sent[h]]])),
  );
  try {
    const { answer } = await fetchFollowing(
      request.url(),
      method,
      headers,
      policy,
      timeoutMs,
      origin,
    );
    const kept = Object.entries(answer.headers).flatMap(([name, value]) =>
      value === undefined || DROPPED_ANSWER.has(name)
        ? []
        : [[name, Array.isArray(value) ? value.join("\n") : value]],
    );
    await route.fulfill({
      status: answer.status,
      headers: Object.fromEntries(kept),
      body: answer.bytes,
    });
  } catch {
    await route.abort("failed");
  }
}

const MAX_REDIRECTS = 3;

/**
 * A GET (or HEAD) under the outbound policy, its redirects followed by the panel (each hop
 * checked; within `origin` only when one is given, else anywhere the policy allows).
 */
async function fetchFollowing(
  url: string,
  method: "GET" | "HEAD",
  headers: Record<string, string>,
  policy: OutboundPolicy,
  timeoutMs: number,
  origin: string | null,
) {
  let current = url;
  for (let hop = 0; ; hop++) {
    const answer = await outboundRequest(
      { field: "url", method, url: current, headers, redirects: "none" },
      {
        policy,
        who: "this panel",
        localAddresses: panelAddresses(),
        timeoutMs,
        maxBytes: 16 * 1024 * 1024,
      },
    );
    const location = answer.headers.location;
    if (answer.status < 300 || answer.status > 399 || !location) return { answer, url: current };
    const next = new URL(location, current);
    if (hop === MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects from ${url}`);
    if (origin !== null && next.origin !== origin)
      throw new Error(`${current} redirects to another origin`);
    if (next.protocol !== "http:" && next.protocol !== "https:")
      throw new Error(`${current} redirects to ${next.protocol}`);
    current = next.toString();
  }
}
