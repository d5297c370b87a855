// The GitHub templates page against a real panel (its worker runs the generation) and the strict
// GitHub fake (GitHub cannot be reached here): the account's catalog, "Generate" with a name the
// contract refuses (said at the field), then a good one followed to "ready" with its clone URL,
// and one GitHub refuses (a name taken), shown in GitHub's words. The page passes axe.
import { generateKeyPairSync } from "node:crypto";
import { startGithubFake } from "@steward/testkit";
import { afterAll, expect, it } from "vitest";
import { describeConsole, onPage, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;
const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
const github = await startGithubFake({
  appId: 77,
  publicKey: pair.publicKey.export({ format: "pem", type: "spki" }).toString(),
  installations: [{ id: 9, account: "acme", type: "Organization", repositories: "all" }],
  repos: [
    { owner: "acme", name: "starter", template: true },
    { owner: "acme", name: "taken" },
  ],
  fillAfter: 3,
});
afterAll(() => github.stop());

describeConsole("GitHub templates in the console", { timeout: 120_000 }, () => {
  const ui = useConsole({
    panel: {
      env: {
        STEWARD_LOCAL_AGENT: "0",
        STEWARD_GITHUB_API: github.base,
        STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32",
      },
    },
    signIn: true,
    seed: async (run) => {
      const api = (method: string, path: string, body?: unknown) =>
        run.panel.api(method, path, { key: run.key, body });
      const privateKey = pair.privateKey.export({ format: "pem", type: "pkcs1" }).toString();
      await api("PUT", "/api/v1/github/app", { appId: 77, privateKey, defaultOwner: "acme" });
      const account = (await api("POST", "/api/v1/accounts", { slug: "acme", name: "Acme" })).body;
      const added = await api("POST", "/api/v1/templates", {
        account: account.id,
        owner: "acme",
        repo: "starter",
        description: "A small web app",
      });
      if (added.status !== 201) throw new Error(JSON.stringify(added.body));
    },
  });
  const { dialog, axe } = onPage(ui);
  const shot = async (name: string) => {
    if (SHOTS) await ui.page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };

  it("generates a repository from the catalog and follows it to its clone URL", async () => {
    await ui.page.goto(`${ui.panel.url}/github-templates`);
    await ui.page.getByText("acme/starter").waitFor();
    await axe();
    await shot("templates-catalog");
    const generate = async (name: string) => {
      await ui.page.getByRole("button", { name: "Generate" }).click();
      await dialog().getByLabel("Repository name").fill(name);
      await dialog().getByRole("button", { name: "Generate" }).click();
    };
    await generate("bad name;");
    await expect
      .poll(() => dialog().getByLabel("Repository name").getAttribute("aria-invalid"))
      .toBe("true");
    await shot("templates-generate-refused");
    await dialog().getByLabel("Repository name").fill("shop");
    await dialog().getByRole("button", { name: "Generate" }).click();
    await ui.page.getByText("https://github.com/acme/shop.git").waitFor({ timeout: 30_000 });
    await generate("taken");
    await ui.page
      .getByText(
        /GitHub answered HTTP 422: Repository creation failed\. \(name: name already exists/,
      )
      .waitFor({ timeout: 30_000 });
    await axe();
    await shot("templates-generated");
    expect(ui.dialogs).toEqual([]);
  });
});
