// An update whose answer did not come back (docs/cms.md#safe-updates). A site's gateway
// (nginx's fastcgi_read_timeout, 60 s by default; a CDN's limit) gives up on a long update with
// a 502 or 504, or the panel's own deadline passes, while PHP goes on updating. Checking the
// site then, or rolling back over it, meets a half-updated site and WordPress's "Another update
// is currently in progress". So the panel asks the connector (0.4.0 and later: `updating`)
// until no update is under way on the site, and reads the version it runs then.
import { setTimeout as sleep } from "node:timers/promises";
import type { CmsInfo } from "@steward/contracts";
import type { TaskLogger } from "../../engine/types.ts";
import { errorText } from "../../lib/errors.ts";
import { OutboundRefused } from "../../lib/outbound-http.ts";
import {
  ConnectorError,
  readConnectorInfo,
  toInfo,
  type WpOptions,
  type WpTarget,
} from "./wordpress.ts";

/** How long the panel waits for an update the site is still making (WordPress's maintenance mode lasts at most 10 minutes). */
export const SETTLE_MS = 10 * 60_000;
export const SETTLE_POLL_MS = 3_000;

/** Statuses of a gateway that gave up or a site in maintenance mode: the work behind may go on. */
const STILL_WORKING = new Set([502, 503, 504, 520, 522, 524]);

/** Whether a request that failed this way may have left its update running on the site. */
export function mayStillRun(error: unknown): boolean {
  if (error instanceof OutboundRefused) return false;
  if (error instanceof ConnectorError)
    return error.status !== undefined && STILL_WORKING.has(error.status);
  // nothing listens: the request never reached PHP
  if ((error as { code?: unknown }).code === "ECONNREFUSED") return false;
  // no answer in time, the connection closed mid-answer
  return true;
}

export interface Settled {
  /** what the site runs now (null: it did not say, see `why`) */
  info: CmsInfo | null;
  why: string | null;
}

/**
 * Waits until the site answers with no update under way (or `SETTLE_MS` passed, or `signal`
 * aborted), asking every `SETTLE_POLL_MS`. A site that answers with an error that is not a busy gateway's (a PHP fatal
 * error: HTTP 500) is done updating too, as far as waiting goes: its info is then null.
 */
export async function settleSite(
  target: WpTarget,
  options: WpOptions,
  log: TaskLogger,
  signal?: AbortSignal,
): Promise<Settled> {
  const deadline = Date.now() + SETTLE_MS;
  let said = "";
  for (;;) {
    let busy: string;
    try {
      const raw = await readConnectorInfo(target, options, false);
      if (raw.updating === undefined) {
        log.warn(
          `the connector (${raw.connector}) does not say whether an update is under way: install the current one`,
        );
        return { info: toInfo(raw), why: null };
      }
      if (raw.updating === null) return { info: toInfo(raw), why: null };
      busy = `the site is still making its ${raw.updating.what} (since ${new Date(raw.updating.since * 1000).toISOString()})`;
    } catch (error) {
      if (!mayStillRun(error)) return { info: null, why: errorText(error) };
      busy = `the site does not answer yet (${errorText(error)})`;
    }
    if (busy !== said) log.info(busy);
    said = busy;
    if (Date.now() + SETTLE_POLL_MS > deadline)
      return { info: null, why: `after ${SETTLE_MS / 60_000} minutes ${busy}` };
    // a cancelled task stops waiting
    await sleep(SETTLE_POLL_MS, undefined, { signal });
  }
}

/** Says that `what` got no answer and may still be running, then waits for the site (settleSite). */
export function settleAfter(
  what: string,
  error: unknown,
  site: { target: WpTarget; options: WpOptions },
  log: TaskLogger,
  signal?: AbortSignal,
): Promise<Settled> {
  log.warn(
    `${what} failed: ${errorText(error)}; it may still be running: waiting until the site is done`,
  );
  return settleSite(site.target, site.options, log, signal);
}
