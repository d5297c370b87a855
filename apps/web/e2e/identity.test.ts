// Identity through the console: first-run setup from the link `steward serve` prints, then
// the profile page: password change, TOTP (with sign-in by code and by recovery code),
// passkeys (Chromium's virtual authenticator), API keys used against the API. Hostile text
// stays text, and axe finds nothing serious on the pages and dialogs on the way.
import { totpOf } from "@steward/server/testing/auth";
import type { BrowserContext, Page } from "playwright-core";
import { expect, it } from "vitest";
import { PASSWORD, recordDialogs, seriousViolations } from "./harness.ts";
import { describeConsole, useConsole, withDatabase } from "./harness-console.ts";

const EMAIL = "owner@example.com";
const HOSTILE = "<script>alert(1)</script>";
const NEW_PASSWORD = "a new password that is long enough";

describeConsole("identity in the console", () => {
  // no super user yet: the first test walks setup; each test is another visitor
  // (X-Forwarded-For), so the 20-a-minute limit of /api/auth/* per address is not what the
  // test measures
  const ui = useConsole({ panel: { env: { STEWARD_TRUST_PROXY: "127.0.0.1" } }, superUser: null });
  /** the TOTP secret read from the page, the recovery codes shown with it */
  let secret = "";
  let recoveryCodes: string[] = [];
  /** alert()/confirm() opened by the page: hostile text must never run */
  const dialogs: string[] = [];
  let address = 10;

  async function visitor(width = 1280): Promise<{ context: BrowserContext; page: Page }> {
    address += 1;
    const context = await ui.browser.newContext({
      viewport: { width, height: 900 },
      colorScheme: "light",
      extraHTTPHeaders: { "x-forwarded-for": `198.51.100.${address}` },
    });
    const page = await context.newPage();
    recordDialogs(page, dialogs);
    return { context, page };
  }

  const code = () => totpOf(`otpauth://totp/Steward:x?secret=${secret}`);

  async function signIn(page: Page, password: string, second?: "totp" | string) {
    await page.goto(`${ui.panel.url}/sign-in`);
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    if (second !== undefined) {
      if (second !== "totp") {
        await page.getByRole("button", { name: "Use a recovery code instead" }).click();
      }
      const field = page.getByLabel(second === "totp" ? "Authentication code" : "Recovery code");
      await field.fill(second === "totp" ? code() : second);
      await page.getByRole("button", { name: "Verify" }).click();
    }
    await page.waitForURL(`${ui.panel.url}/`);
    // the shell has its session: a navigation now is not cut short by the sign-in's own
    await page.getByRole("button", { name: "Sign out" }).waitFor();
  }

  /** A new visitor signed in (with a second factor when given), on the profile page. */
  async function onProfile(password: string, second?: "totp" | string) {
    const visit = await visitor();
    await signIn(visit.page, password, second);
    await visit.page.goto(`${ui.panel.url}/profile`);
    return visit;
  }

  async function signOut(page: Page) {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
  }

  /**
   * axe's serious findings, with the pointer moved away first: a hovered primary button is
   * drawn at 90% opacity, a contrast of 4.48 (components/ui/button.tsx, not this page's).
   */
  async function axe(page: Page) {
    await page.mouse.move(0, 0);
    return seriousViolations(page);
  }

  /** Makes every session two days old: older than better-auth's "fresh" (one day). */
  function ageSessions() {
    withDatabase(ui.panel, (db) => {
      const old = Date.now() - 2 * 86_400_000;
      const row = db.prepare("SELECT createdAt FROM auth_session LIMIT 1").get();
      const value = typeof row?.createdAt === "number" ? old : new Date(old).toISOString();
      db.prepare("UPDATE auth_session SET createdAt = ?").run(value);
    });
  }

  /** The visible error of the labelled field. */
  async function errorOf(page: Page, label: string) {
    const field = page.getByLabel(label, { exact: true });
    await expect.poll(() => field.getAttribute("aria-invalid")).toBe("true");
    const ids = ((await field.getAttribute("aria-describedby")) ?? "").split(" ");
    const errorId = ids.find((id) => id.endsWith("-error")) ?? "missing";
    return (await page.locator(`[id="${errorId}"]`).textContent()) ?? "";
  }

  it("sets up the first user from the link steward serve prints", async () => {
    const { context, page } = await visitor();
    await page.goto(`${ui.panel.url}/setup?token=${ui.panel.setupToken}`);
    await page.getByText("Setup token from the link").waitFor();
    expect(await page.getByLabel("Setup token").count()).toBe(0);
    expect(await axe(page)).toEqual([]);

    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Name").fill(HOSTILE);
    await page.getByLabel("Password", { exact: true }).fill("too short");
    await page.getByLabel("Repeat password").fill("too short");
    await page.getByRole("button", { name: "Create user and sign in" }).click();
    expect(await errorOf(page, "Password")).toContain("at least 10 characters");
    expect(await axe(page)).toEqual([]);

    // a wrong token is said at the token field, which opens for editing
    await page.getByRole("button", { name: "Edit token" }).click();
    await page.getByLabel("Setup token").fill("not-the-token");
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Repeat password").fill(`${PASSWORD}!`);
    await page.getByRole("button", { name: "Create user and sign in" }).click();
    expect(await errorOf(page, "Repeat password")).toContain("does not match");
    await page.getByLabel("Repeat password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create user and sign in" }).click();
    expect(await errorOf(page, "Setup token")).toContain("does not match the setup token");

    await page.getByLabel("Setup token").fill(ui.panel.setupToken);
    await page.getByRole("button", { name: "Create user and sign in" }).click();
    await page.waitForURL(`${ui.panel.url}/`);

    // the hostile name is text on the profile page
    await page.goto(`${ui.panel.url}/profile`);
    await page.getByText(HOSTILE, { exact: true }).waitFor();
    expect(await page.locator("main script").count()).toBe(0);
    await expect.poll(() => page.getByLabel("Name", { exact: true }).inputValue()).toBe(HOSTILE);

    // setup happens once
    const again = await visitor();
    await again.page.goto(`${ui.panel.url}/setup?token=${ui.panel.setupToken}`);
    await again.page.getByRole("heading", { name: "Setup is already done" }).waitFor();
    await again.page.getByRole("link", { name: "Go to sign-in" }).click();
    await again.page.waitForURL(/\/sign-in/);
    await again.context.close();
    await context.close();
    expect(dialogs).toEqual([]);
  });

  it("edits the name and changes the password on the profile page", async () => {
    const { context, page } = await onProfile(PASSWORD);
    await page.getByRole("heading", { name: "My profile" }).waitFor();
    expect(await axe(page)).toEqual([]);

    // a long name wraps, even on a phone; an empty one is refused at the field
    const name = page.getByLabel("Name", { exact: true });
    await name.fill("W".repeat(100));
    await page.getByRole("button", { name: "Save name" }).click();
    await page.getByText("Name saved.").waitFor();
    await page.setViewportSize({ width: 390, height: 800 });
    await page.getByText("W".repeat(100), { exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    await page.setViewportSize({ width: 1280, height: 900 });
    await name.fill("   ");
    await page.getByRole("button", { name: "Save name" }).click();
    expect(await errorOf(page, "Name")).toContain("must not be empty");
    await name.fill("Olivia Owner");
    await page.getByRole("button", { name: "Save name" }).click();
    await page.getByText("Name saved.").waitFor();
    await page.getByText("Olivia Owner", { exact: true }).waitFor();

    // the wrong current password is said at its field
    await page.getByLabel("Current password").fill("not my password at all");
    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel("Repeat new password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    expect(await errorOf(page, "Current password")).toContain("password is wrong");
    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("Password changed.").waitFor();
    await signOut(page);
    await signIn(page, NEW_PASSWORD);
    await context.close();
  });

  it("turns on TOTP; then signing in needs a code or a recovery code", async () => {
    const { context, page } = await onProfile(NEW_PASSWORD);
    await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
    const dialog = page.getByRole("dialog", { name: "Turn on two-factor authentication" });
    await dialog.getByLabel("Your password").fill("wrong password here");
    await dialog.getByRole("button", { name: "Continue" }).click();
    expect(await errorOf(page, "Your password")).toContain("password is wrong");
    expect(await axe(page)).toEqual([]);
    await dialog.getByLabel("Your password").fill(NEW_PASSWORD);
    await dialog.getByRole("button", { name: "Continue" }).click();

    const qr = dialog.getByRole("img", { name: "QR code for your authenticator app" });
    await qr.waitFor();
    expect(await qr.getAttribute("src")).toMatch(/^data:image\/png;base64,/);
    const shownSecret = dialog.getByRole("figure", { name: "Secret key" }).locator("code");
    secret = ((await shownSecret.textContent()) ?? "").replace(/\s/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    recoveryCodes = await dialog
      .getByRole("list", { name: "Recovery codes" })
      .getByRole("listitem")
      .allTextContents();
    expect(recoveryCodes.length).toBeGreaterThanOrEqual(5);
    await dialog.getByRole("button", { name: "Copy recovery codes" }).waitFor();
    expect(await axe(page)).toEqual([]);

    await dialog.getByLabel("Authentication code").fill("000000");
    await dialog.getByRole("button", { name: "Turn on", exact: true }).click();
    expect(await errorOf(page, "Authentication code")).toContain("code is wrong");
    await dialog.getByLabel("Authentication code").fill(code());
    await dialog.getByRole("button", { name: "Turn on", exact: true }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByText("Two-factor authentication is on.").waitFor();

    // the password alone no longer signs in
    await signOut(page);
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByLabel("Authentication code").waitFor();
    expect(await axe(page)).toEqual([]);
    await page.getByLabel("Authentication code").fill(code());
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(`${ui.panel.url}/`);

    await signOut(page);
    await signIn(page, NEW_PASSWORD, recoveryCodes[0]);
    await context.close();
  });

  it("registers a passkey and signs in with it", async () => {
    const { context, page } = await visitor();
    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await signIn(page, NEW_PASSWORD, "totp");
    await page.goto(`${ui.panel.url}/profile`);
    await page.getByText("No passkeys yet.").waitFor();
    const label = `Laptop ${HOSTILE}`;

    // an old session may not add a passkey: the page says to sign in again, and brings
    // the person back to the profile after
    ageSessions();
    await page.getByLabel("Passkey name").fill(label);
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.getByText("adding a passkey needs a recent sign-in").waitFor();
    expect(await axe(page)).toEqual([]);
    await page.getByRole("button", { name: "Sign in again" }).click();
    await page.waitForURL(/\/sign-in\?redirect=%2Fprofile/);
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByLabel("Authentication code").fill(code());
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(`${ui.panel.url}/profile`);

    await page.getByLabel("Passkey name").fill(label);
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.getByText("Passkey added.").waitFor();
    const list = page.getByRole("list", { name: "Your passkeys" });
    await list.getByText(label, { exact: true }).waitFor();

    await signOut(page);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.waitForURL(`${ui.panel.url}/`);

    await page.goto(`${ui.panel.url}/profile`);
    await page.getByRole("button", { name: `Remove passkey ${label}` }).click();
    const confirm = page.getByRole("alertdialog");
    await confirm.getByText(`Remove the passkey ${label}?`).waitFor();
    expect(await axe(page)).toEqual([]);
    await confirm.getByRole("button", { name: "Remove passkey" }).click();
    await page.getByText("No passkeys yet.").waitFor();
    await context.close();
    expect(dialogs).toEqual([]);
  });

  it("makes new recovery codes and turns TOTP off, each after a confirmation", async () => {
    const { context, page } = await onProfile(NEW_PASSWORD, recoveryCodes[1]);
    await page.getByRole("button", { name: "New recovery codes" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Make new codes" }).click();
    const dialog = page.getByRole("dialog", { name: "New recovery codes" });
    await dialog.getByLabel("Your password").fill(NEW_PASSWORD);
    await dialog.getByRole("button", { name: "Make new codes" }).click();
    const codes = dialog.getByRole("list", { name: "Recovery codes" });
    await codes.waitFor();
    const fresh = await codes.getByRole("listitem").allTextContents();
    expect(fresh.length).toBeGreaterThanOrEqual(5);
    expect(fresh).not.toContain(recoveryCodes[2]);
    expect(await axe(page)).toEqual([]);
    await dialog.getByRole("button", { name: "I have stored them" }).click();

    await page.getByRole("button", { name: "Turn off", exact: true }).click();
    const confirm = page.getByRole("alertdialog");
    await confirm.getByText("Turn off two-factor authentication?").waitFor();
    await confirm.getByRole("button", { name: "Turn off" }).click();
    const off = page.getByRole("dialog", { name: "Turn off two-factor authentication" });
    await off.getByLabel("Your password").fill(NEW_PASSWORD);
    await off.getByRole("button", { name: "Turn off" }).click();
    await page.getByText("Two-factor authentication is off.").waitFor();
    await signOut(page);
    await signIn(page, NEW_PASSWORD);
    await context.close();
  });

  it("creates an API key, shows it once, and revokes it", async () => {
    const { context, page } = await onProfile(NEW_PASSWORD);
    await page.getByText("No API keys yet.").waitFor();
    await page.getByRole("button", { name: "New API key" }).click();
    const dialog = page.getByRole("dialog", { name: "New API key" });
    await dialog.getByLabel("Name").fill("reporting");
    await dialog.getByLabel("Scope").selectOption("read");
    await dialog.getByLabel("Expires after (days)").fill("5000");
    await dialog.getByRole("button", { name: "Create key" }).click();
    expect(await errorOf(page, "Expires after (days)")).toContain("between 1 and 3650");
    expect(await axe(page)).toEqual([]);
    await dialog.getByLabel("Expires after (days)").fill("30");
    await dialog.getByRole("button", { name: "Create key" }).click();

    const shown = page.getByRole("dialog", { name: "Your new API key" });
    const key =
      (await shown.getByRole("figure", { name: "API key" }).locator("code").textContent()) ?? "";
    expect(key).toMatch(/^stw_/);
    await shown.getByText("only time the key is shown").waitFor();
    expect(await axe(page)).toEqual([]);
    await shown.getByRole("button", { name: "Done" }).click();

    const table = page.getByRole("table", { name: "My API keys" });
    await table.getByText("reporting").waitFor();
    expect(await table.textContent()).not.toContain(key);

    const me = await ui.panel.api("GET", "/api/v1/me", { key });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(EMAIL);
    // the read scope narrows even a super user
    const create = await ui.panel.api("POST", "/api/v1/users", {
      key,
      body: { email: "someone@example.com", password: PASSWORD },
    });
    expect(create.status).toBe(403);

    await table.getByRole("button", { name: "Revoke API key reporting" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Revoke key" }).click();
    await page.getByText("No API keys yet.").waitFor();
    expect((await ui.panel.api("GET", "/api/v1/me", { key })).status).toBe(401);
    await context.close();
  });
});
