// The compose pages against a real panel, a real agent and a hermetic Podman (testkit
// startPodman) with Debian's docker-compose: the compose editor showing a refused key under
// the file as it is typed, a stack of two services deployed from it and shown with its
// services, volumes and file, its file edited on its page (a refused key shown as typed, then a
// new file saved and deployed), a domain refused at its field for a stack publishing no port,
// the remove confirmation naming its volumes, and the catalog's
// static file server deployed from the one-click flow; passing axe. Screenshots in
// STEWARD_SHOTS.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AgentServer } from "@steward/agent";
import { BUSYBOX_IMAGE, HTTPD_IMAGE, type PodmanServer, startPodman } from "@steward/testkit";
import { afterAll, expect, it } from "vitest";
import { podmanNode } from "./apps-node.ts";
import { describeConsole, onPage, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;
let podman: PodmanServer | null = null;
let agent: AgentServer | null = null;
let dir = "";

const stack = (extra = "") => `services:
  web:
    image: ${HTTPD_IMAGE}
    ports: ["8080"]
    volumes: ["data:/data"]
    stop_signal: SIGKILL
${extra}  worker:
    image: ${BUSYBOX_IMAGE}
    command: ["sh", "-c", "echo worker ready; exec sleep 1000"]
    stop_signal: SIGKILL
volumes:
  data: {}
`;

describeConsole("the compose pages", { timeout: 240_000 }, () => {
  const ui = useConsole({
    panel: { env: { STEWARD_LOCAL_AGENT: "0" } },
    signIn: true,
    timeout: 150_000,
    seed: async (run) => {
      podman = await startPodman();
      if (!podman) throw new Error("Podman is needed");
      dir = await mkdtemp(join(tmpdir(), "steward-e2e-compose-"));
      ({ agent } = await podmanNode(run, podman, dir));
      await run.panel.api("POST", "/api/v1/accounts", {
        key: run.key,
        body: { name: "Shop", slug: "shop" },
      });
    },
  });
  afterAll(async () => {
    await agent?.close(1000);
    await podman?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const { axe } = onPage(ui);
  const shot = async (name: string) => {
    if (SHOTS) await ui.page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };

  it("shows a refused key under the file, then deploys the stack with its services", async () => {
    const page = ui.page;
    await page.goto(`${ui.panel.url}/apps`);
    await page.getByRole("button", { name: "New compose stack" }).click();
    const editor = page.getByLabel("Compose file");
    await editor.fill(stack("    privileged: true\n"));
    await page.getByText("services.web.privileged").waitFor();
    await axe();
    await shot("compose-refused");
    await editor.fill(stack());
    await page.getByText("Services: web, worker.").waitFor();
    await page.getByLabel("Name").fill("shop");
    await page.getByRole("button", { name: "Deploy" }).click();
    await page.getByRole("heading", { name: "shop" }).waitFor();
    await page.getByText("running", { exact: true }).first().waitFor({ timeout: 120_000 });
    // the node's names are the app's runtime name's (the name and six characters of its id)
    const id = new URL(page.url()).pathname.split("/").pop();
    const made = await ui.panel.api("GET", `/api/v1/apps/${id}`, { key: ui.key });
    const runtime = made.body.runtimeName as string;
    expect(runtime).toMatch(/^shop-[0-9a-z]{6}$/);
    await page.getByText(`${runtime}_worker_1`, { exact: true }).waitFor();
    await page.getByText(`${runtime}_data`).first().waitFor();
    await axe();
    await shot("compose-app");
    // the file edited on the app's page: checked as typed, then saved and deployed
    await page.getByText("Compose file", { exact: true }).click();
    await page.getByRole("button", { name: "Edit the file" }).click();
    const edit = page.getByLabel("Compose file");
    await edit.fill(stack("    privileged: true\n"));
    await page.getByText("services.web.privileged").waitFor();
    expect(await page.getByRole("button", { name: "Save and deploy" }).isDisabled()).toBe(true);
    await shot("compose-edit-refused");
    await edit.fill(stack().replace("echo worker ready", "echo worker ready again"));
    await page.getByRole("button", { name: "Save and deploy" }).click();
    await page
      .getByText("Edit the file")
      .waitFor({ state: "detached" })
      .catch(() => undefined);
    await page.getByRole("button", { name: "Save and deploy" }).waitFor({ state: "detached" });
    await expect
      .poll(
        async () => {
          const id = new URL(page.url()).pathname.split("/").pop();
          const one = await ui.panel.api("GET", `/api/v1/apps/${id}`, { key: ui.key });
          return `${one.body.deployments.length} ${one.body.deployments[0]?.status}`;
        },
        { timeout: 120_000, interval: 500 },
      )
      .toBe("2 succeeded");
    await page.getByRole("button", { name: "Remove" }).click();
    await page.getByText(`Deletes the containers; keeps ${runtime}_data.`).waitFor();
    await shot("compose-remove-confirm");
  });

  it("offers the services publishing a port for a domain, and shows a refused one at its field", async () => {
    const page = ui.page;
    await page.goto(`${ui.panel.url}/apps`);
    await page.getByRole("button", { name: "New compose stack" }).click();
    await page.getByLabel("Compose file").fill(stack());
    await page.getByLabel("Domain", { exact: true }).fill("shop.example.test");
    const service = page.getByLabel("Service behind the domain");
    expect(await service.locator("option").allTextContents()).toEqual(["web (the first)", "web"]);
    await page.getByLabel("Compose file").fill(stack().replace('    ports: ["8080"]\n', ""));
    await page.getByText("no service of the file publishes a TCP port").waitFor();
    await page.getByLabel("Name").fill("portless");
    await page.getByRole("button", { name: "Deploy" }).click();
    await page.getByText("needs a service that publishes a TCP port").waitFor();
    expect(await page.getByLabel("Domain", { exact: true }).getAttribute("aria-invalid")).toBe(
      "true",
    );
    await axe();
    await shot("compose-domain-refused");
  });

  it("deploys the catalog's static file server", async () => {
    const page = ui.page;
    await page.goto(`${ui.panel.url}/apps`);
    await page.getByRole("button", { name: "New one-click app" }).click();
    await page.getByText("WordPress with MariaDB").waitFor();
    await page.getByLabel("IMAGE").fill(BUSYBOX_IMAGE);
    await axe();
    await shot("compose-catalog");
    await page.getByRole("button", { name: "Deploy" }).click();
    await page.getByRole("heading", { name: "static-site" }).waitFor();
    await page.getByText("running", { exact: true }).first().waitFor({ timeout: 120_000 });
    const ports = await page
      .getByText(/→8080\/tcp/)
      .first()
      .textContent();
    const host = /(\d+)→8080/.exec(ports ?? "")?.[1];
    expect(await fetch(`http://127.0.0.1:${host}/`).then((r) => r.text())).toBe(
      "<h1>It works</h1>\n",
    );
  });
});
