// Sign in with GitHub in the console against a real panel and the strict fake of GitHub's
// OAuth (GitHub cannot be reached here): a super user turns it on from the profile page (the
// secret never shown again), a user links their GitHub account from their profile (the browser
// goes to GitHub's authorize page and back), then the sign-in page's "Sign in with GitHub"
// signs them in; an unknown GitHub account lands back on the sign-in page with the refusal in
// words. The pages pass axe.
import { startGithubOAuthFake } from "@steward/testkit";
import { afterAll, expect, it } from "vitest";
import { newContext, PASSWORD, section, signedInPage } from "./harness.ts";
import { describeConsole, onPage, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;
const CLIENT_ID = "Ov23liConsole";
const CLIENT_SECRET = "0123456789abcdef0123456789abcdef01234567";
const github = await startGithubOAuthFake({
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  callbackUrl: "http://unset.invalid/",
  users: [
    {
      id: 4242,
      login: "ada-gh",
      emails: [{ email: "ada@users.example", primary: true, verified: true }],
    },
    {
      id: 7,
      login: "stranger",
      emails: [{ email: "s@example.net", primary: true, verified: true }],
    },
  ],
});
afterAll(() => github.stop());

describeConsole("sign in with GitHub in the console", { timeout: 120_000 }, () => {
  const ui = useConsole({
    panel: {
      env: {
        STEWARD_LOCAL_AGENT: "0",
        STEWARD_GITHUB_WEB: github.base,
        STEWARD_GITHUB_API: github.base,
        STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32",
      },
    },
    signIn: true,
    seed: async (run) => {
      github.setCallbackUrl(`${run.panel.url}/api/auth/callback/github`);
      const made = await run.panel.api("POST", "/api/v1/users", {
        key: run.key,
        body: { email: "ada@example.com", password: PASSWORD, name: "Ada" },
      });
      if (made.status !== 201) throw new Error(JSON.stringify(made.body));
    },
  });
  const { axe } = onPage(ui);
  const shot = async (page: typeof ui.page, name: string) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };

  it("is turned on by a super user, linked by a user, then signs that user in", async () => {
    const anonymous = await (await newContext(ui.browser)).newPage();
    await anonymous.goto(`${ui.panel.url}/sign-in`);
    await anonymous.getByRole("button", { name: "Sign in with a passkey" }).waitFor();
    expect(await anonymous.getByRole("button", { name: "Sign in with GitHub" }).count()).toBe(0);

    await ui.page.goto(`${ui.panel.url}/profile`);
    const settings = section(ui.page, "Sign in with GitHub (installation)");
    await settings.getByText("/api/auth/callback/github").waitFor();
    await settings.getByLabel("Client id").fill("not valid;");
    await settings.getByLabel("Client secret").fill(CLIENT_SECRET);
    await settings.getByRole("button", { name: "Save" }).click();
    await expect
      .poll(() => settings.getByLabel("Client id").getAttribute("aria-invalid"))
      .toBe("true");
    await settings.getByLabel("Client id").fill(CLIENT_ID);
    await settings.getByLabel("Allow sign in with GitHub").check();
    await settings.getByRole("button", { name: "Save" }).click();
    await settings.getByText("A secret is stored (never shown).").waitFor();
    expect(await settings.getByLabel("Client secret").inputValue()).toBe("");
    await section(ui.page, "GitHub").getByRole("button", { name: "Link GitHub account" }).waitFor();
    await axe();
    await shot(ui.page, "github-sign-in-settings");

    const ada = await signedInPage(ui.browser, ui.panel, "ada@example.com", ui.dialogs);
    await ada.page.goto(`${ui.panel.url}/profile`);
    github.as("ada-gh");
    await ada.page.getByRole("button", { name: "Link GitHub account" }).click();
    await ada.page.getByText("GitHub account #4242").waitFor();
    expect(new URL(ada.page.url()).pathname).toBe("/profile");
    await shot(ada.page, "github-linked");
    await ada.context.close();

    await anonymous.reload();
    await anonymous.getByRole("button", { name: "Sign in with GitHub" }).click();
    await anonymous.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
    const me = await anonymous.evaluate(async () => (await fetch("/api/v1/me")).json());
    expect(me.email).toBe("ada@example.com");
    await anonymous.context().close();
  });

  it("shows a super user who has GitHub linked, and unlinks it after a confirmation", async () => {
    await ui.page.goto(`${ui.panel.url}/users`);
    const row = ui.page.getByRole("row").filter({ hasText: "ada@example.com" });
    await row.getByText("GitHub linked").waitFor();
    await row.getByRole("link", { name: /ada@example\.com/ }).click();
    await ui.page.getByRole("button", { name: "Unlink GitHub" }).click();
    const confirm = ui.page.getByRole("alertdialog");
    await confirm.getByText("GitHub no longer signs them in.", { exact: false }).waitFor();
    await shot(ui.page, "github-unlink-confirm");
    await confirm.getByRole("button", { name: "Unlink GitHub" }).click();
    await expect.poll(() => ui.page.getByRole("button", { name: "Unlink GitHub" }).count()).toBe(0);
    expect(await ui.page.getByText("GitHub linked").count()).toBe(0);
    await shot(ui.page, "github-unlinked");

    const page = await (await newContext(ui.browser)).newPage();
    await page.goto(`${ui.panel.url}/sign-in`);
    github.as("ada-gh");
    await page.getByRole("button", { name: "Sign in with GitHub" }).click();
    await page.getByText("This GitHub account is not linked to a Steward user.").waitFor();
    await page.context().close();
  });

  it("sends an unknown GitHub account back to the sign-in page, saying why", async () => {
    const page = await (await newContext(ui.browser)).newPage();
    await page.goto(`${ui.panel.url}/sign-in`);
    await shot(page, "sign-in-with-github");
    github.as("stranger");
    await page.getByRole("button", { name: "Sign in with GitHub" }).click();
    await page.getByText("This GitHub account is not linked to a Steward user.").waitFor();
    expect(new URL(page.url()).searchParams.get("error")).toBe("signup_disabled");
    expect(await page.evaluate(async () => (await fetch("/api/v1/me")).status)).toBe(401);
    await shot(page, "sign-in-github-refused");
    await page.context().close();
  });
});
