// The set-up every console test shares, registered once: a panel (with its first super user
// and that user's API key), Chromium, and on request a page signed in as that user; all of
// it closed after the file's tests. Also direct access to the panel's SQLite database, for
// the states a test cannot reach through the API.
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect } from "vitest";
import {
  chromiumOrSkip,
  launchChromium,
  type Panel,
  seriousViolations,
  signedInPage,
  startPanel,
} from "./harness.ts";

/** The super user `useConsole` sets up unless told otherwise. */
export const ROOT = "root@example.com";

/** `describe`, skipped (or failing in CI) when Chromium is not installed. */
export const describeConsole = describe.skipIf(!chromiumOrSkip());

export interface ConsoleRun {
  panel: Panel;
  browser: Browser;
  /** an API key of the super user ("" when the test sets up none) */
  key: string;
  /** with `signIn`: a desktop-sized page signed in as the super user, and its context */
  page: Page;
  context: BrowserContext;
  /** alert()/confirm() the signed-in page opened: hostile text must open none */
  dialogs: string[];
}

export interface ConsoleOptions {
  /** how the panel starts (dialect, environment) */
  panel?: Parameters<typeof startPanel>[0];
  /** the first super user, set up through the API; null: none (the test walks setup itself) */
  superUser?: string | null;
  /** runs once the panel (and its super user) is up, before Chromium starts */
  seed?: (run: ConsoleRun) => Promise<void>;
  /** open `page`, signed in as the super user */
  signIn?: boolean;
  /** of the set-up, in milliseconds (vitest's default otherwise) */
  timeout?: number;
}

/**
 * Registers the shared set-up in the calling `describe` and returns what it makes; its fields
 * are filled in by `beforeAll`, so read them inside hooks and tests.
 */
export function useConsole(opts: ConsoleOptions = {}): ConsoleRun {
  const run = { key: "", dialogs: [] as string[] } as ConsoleRun;
  const superUser = opts.superUser === undefined ? ROOT : opts.superUser;
  beforeAll(async () => {
    run.panel = await startPanel(opts.panel);
    if (superUser) run.key = await run.panel.setupSuper(superUser);
    await opts.seed?.(run);
    run.browser = await launchChromium();
    if (opts.signIn && superUser) {
      const signedIn = await signedInPage(run.browser, run.panel, superUser, run.dialogs);
      run.context = signedIn.context;
      run.page = signedIn.page;
    }
  }, opts.timeout);
  afterAll(async () => {
    await run.context?.close();
    await run.browser?.close();
    await run.panel?.close();
  });
  return run;
}

/** Works on the panel's SQLite database directly (waiting while the panel writes). */
export function withDatabase<T>(panel: Panel, work: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(join(panel.dataDir, "steward.db"));
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    return work(db);
  } finally {
    db.close();
  }
}

/** Runs one statement on the panel's SQLite database. */
export function runSql(panel: Panel, statement: string, ...params: (string | number | null)[]) {
  withDatabase(panel, (db) => db.prepare(statement).run(...params));
}

/** The locators and checks of the signed-in page that console tests keep asking for. */
export function onPage(run: ConsoleRun) {
  const dialog = () => run.page.getByRole("dialog");
  const table = (name: string) => run.page.getByRole("table", { name, exact: true });
  return {
    dialog,
    table,
    /** the rows of a table that show `text` */
    row: (tableName: string, text: string | RegExp) =>
      table(tableName).getByRole("row").filter({ hasText: text }),
    /** picks the radio of the open dialog named `name` */
    choose: (name: string | RegExp) => dialog().getByRole("radio", { name }).check(),
    /** presses the open dialog's button `name` and waits until the dialog has closed */
    submit: async (name: string) => {
      await dialog().getByRole("button", { name }).click();
      await dialog().waitFor({ state: "detached" });
    },
    /** axe finds nothing serious on the page as it is now */
    axe: async () => expect(await seriousViolations(run.page)).toEqual([]),
  };
}
