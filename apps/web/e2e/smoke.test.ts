// The console loads, sends an anonymous visitor to sign-in, signs in and shows the users page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chromiumOrSkip,
  launchChromium,
  newContext,
  type Panel,
  seriousViolations,
  signInUi,
  startPanel,
} from "./harness.ts";

const chromiumPath = chromiumOrSkip();

describe.skipIf(!chromiumPath)("console smoke", () => {
  let panel: Panel;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    panel = await startPanel();
    await panel.setupSuper("root@example.com");
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  it("signs in and lists users", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${panel.url}/users`);
    await page.waitForURL(/\/sign-in\?redirect=/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel("Email").fill("root@example.com");
    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(`${panel.url}/users`);
    await expect.poll(() => page.getByRole("table", { name: "Users" }).isVisible()).toBe(true);
    expect(await page.getByText("root@example.com").count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
    void signInUi;
  });
});
