// The GitHub App's settings page against a real panel and the strict GitHub fake (GitHub
// cannot be reached here): no App yet (saying what to do), the App set with refusals at their
// fields, its key shown only as "set" with its fingerprint, the installations per owner (the
// default owner's marked), "Test connection" with GitHub's answer and then GitHub's refusal
// in its words; the template catalog: a repository GitHub refuses (at its field), one added,
// edited to another, deleted asking first. A reader sees none of it: no entry, no controls.
// The page passes axe.
import { generateKeyPairSync } from "node:crypto";
import { startGithubFake } from "@steward/testkit";
import { afterAll, expect, it } from "vitest";
import { PASSWORD, signedInPage } from "./harness.ts";
import { describeConsole, onPage, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;
const READER = "reader@example.com";
const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PRIVATE = pair.privateKey.export({ format: "pem", type: "pkcs1" }).toString();
const github = await startGithubFake({
  appId: 77,
  publicKey: pair.publicKey.export({ format: "pem", type: "spki" }).toString(),
  installations: [
    { id: 9, account: "acme", type: "Organization", repositories: "all" },
    { id: 12, account: "ada", type: "User", repositories: ["ada/site"] },
  ],
  repos: [
    { owner: "acme", name: "starter", template: true },
    { owner: "acme", name: "blog", template: true, defaultBranch: "trunk" },
    { owner: "acme", name: "plain" },
  ],
});
afterAll(() => github.stop());

describeConsole("the GitHub App's settings in the console", { timeout: 120_000 }, () => {
  let account = "";
  const ui = useConsole({
    panel: {
      env: {
        STEWARD_LOCAL_AGENT: "0",
        STEWARD_GITHUB_API: github.base,
        STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32",
      },
    },
    signIn: true,
    // a panel, and for tunnels an enrolled agent: slow on a loaded machine
    timeout: 150_000,
    seed: async (run) => {
      const made = await run.panel.api("POST", "/api/v1/accounts", {
        key: run.key,
        body: { slug: "acme", name: "Acme" },
      });
      account = made.body.id;
    },
  });
  const { dialog, axe } = onPage(ui);
  const shot = async (name: string) => {
    if (SHOTS) await ui.page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };
  const box = (label: string) => dialog().getByRole("textbox", { name: label, exact: true });
  const invalid = (label: string) => box(label).getAttribute("aria-invalid");

  it("sets the App, shows its installations and tests the connection", async () => {
    await ui.page.goto(`${ui.panel.url}/github-app`);
    await ui.page.getByText("No GitHub App is set.").waitFor();
    await axe();
    await shot("github-app-empty");
    await ui.page.getByRole("button", { name: "Set the GitHub App" }).click();
    await box("App ID").fill("12;rm");
    await box("Private key").fill("not a key");
    await box("Default owner").fill("-acme");
    await dialog().getByRole("button", { name: "Save" }).click();
    await expect.poll(() => invalid("App ID")).toBe("true");
    await expect.poll(() => invalid("Private key")).toBe("true");
    await expect.poll(() => invalid("Default owner")).toBe("true");
    await dialog().getByText("must be the App's private key", { exact: false }).waitFor();
    await shot("github-app-refused");
    await box("App ID").fill("77");
    await box("Private key").fill(PRIVATE);
    await box("Default owner").fill("acme");
    await dialog().getByRole("button", { name: "Save" }).click();
    await ui.page.getByText("set", { exact: true }).waitFor();
    await ui.page.getByText(/^SHA256:/).waitFor();
    expect(await ui.page.content()).not.toContain("PRIVATE KEY");
    const installations = ui.page.getByRole("table", { name: "Installations" });
    await installations.getByText("default owner").waitFor();
    await installations.getByText("ada", { exact: true }).first().waitFor();
    await ui.page.getByRole("button", { name: "Test connection" }).click();
    await ui.page
      .getByText("GitHub knows the App: Steward Test (steward-test), owned by acme.")
      .waitFor();
    await axe();
    await shot("github-app-set");
    github.failNext(401, {
      message: "'Expiration time' claim ('exp') is too far in the future",
      documentation_url: "https://docs.github.com/rest",
    });
    await ui.page.getByRole("button", { name: "Test connection" }).click();
    await ui.page
      .getByText(
        "GitHub answered HTTP 401: 'Expiration time' claim ('exp') is too far in the future see https://docs.github.com/rest",
      )
      .waitFor();
    await shot("github-app-test-refused");
  });

  it("keeps the template catalog: refused at its field, added, edited, deleted asking first", async () => {
    const catalog = ui.page.getByRole("table", { name: "Template catalog" });
    await ui.page.getByText("No templates for this account.").waitFor();
    await ui.page.getByRole("button", { name: "Add a template" }).click();
    await box("Owner").fill("acme");
    await box("Repository").fill("plain");
    await dialog().getByRole("button", { name: "Add" }).click();
    await expect.poll(() => invalid("Repository")).toBe("true");
    await dialog()
      .getByText(/acme\/plain is not marked as a template/)
      .waitFor();
    await box("Repository").fill("../x");
    await dialog().getByRole("button", { name: "Add" }).click();
    await dialog()
      .getByText(/must be a repository name/)
      .waitFor();
    await shot("github-catalog-refused");
    await box("Repository").fill("starter");
    await box("Description").fill("A small web app");
    await dialog().getByRole("button", { name: "Add" }).click();
    await catalog.getByText("acme/starter").first().waitFor();
    await catalog.getByRole("button", { name: "Edit" }).click();
    await box("Repository").fill("blog");
    await dialog().getByRole("button", { name: "Save" }).click();
    await catalog.getByText("acme/blog").first().waitFor();
    await catalog.getByText("trunk").first().waitFor();
    const listed = await ui.panel.api("GET", `/api/v1/templates?account=${account}`, {
      key: ui.key,
    });
    expect(listed.body.items).toMatchObject([
      { owner: "acme", repo: "blog", description: "A small web app", defaultBranch: "trunk" },
    ]);
    await axe();
    await shot("github-catalog");
    await catalog.getByRole("button", { name: "Delete" }).click();
    const confirm = ui.page.getByRole("alertdialog");
    await confirm.getByText("Delete the template acme/blog?").waitFor();
    await confirm.getByRole("button", { name: "Delete template" }).click();
    await ui.page.getByText("No templates for this account.").waitFor();
    expect(ui.dialogs).toEqual([]);
  });

  it("shows a reader no GitHub App entry and no controls", async () => {
    const reader = await ui.panel.api("POST", "/api/v1/users", {
      key: ui.key,
      body: { email: READER, password: PASSWORD },
    });
    expect(reader.status, JSON.stringify(reader.body)).toBe(201);
    const grant = await ui.panel.api("POST", "/api/v1/grants", {
      key: ui.key,
      body: {
        principalType: "user",
        principalId: reader.body.id,
        scopeType: "account",
        scopeId: account,
        role: "read",
      },
    });
    expect(grant.status, JSON.stringify(grant.body)).toBe(200);
    const { context, page } = await signedInPage(ui.browser, ui.panel, READER, ui.dialogs);
    try {
      await page.goto(`${ui.panel.url}/github-templates`);
      await page.getByRole("link", { name: "GitHub templates" }).waitFor();
      expect(await page.getByRole("link", { name: "GitHub App" }).count()).toBe(0);
      expect(await page.getByRole("link", { name: "Tunnels" }).count()).toBe(0);
      for (const where of ["/github-app", "/tunnels"]) {
        await page.goto(`${ui.panel.url}${where}`);
        await page.getByRole("alert").first().waitFor();
        for (const control of [
          "Set the GitHub App",
          "Change",
          "Test connection",
          "Add a template",
          "Add a tunnel",
          "Forward a hostname",
        ])
          expect(await page.getByRole("button", { name: control }).count(), control).toBe(0);
      }
    } finally {
      await context.close();
    }
  });
});
