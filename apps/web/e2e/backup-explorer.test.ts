// The storage explorer page against a real panel and an S3 destination on s3rver: an artifact
// another panel wrote (with its sidecar) and an object put by hand are unknown; the artifact is
// selected and imported (known), then deleted: the confirmation names it, the only good copy
// is refused until "Delete anyway" and its name typed; object and sidecar are gone from the
// bucket. Passing axe. Screenshots in STEWARD_SHOTS.
import { Readable } from "node:stream";
import { openDestination, runBackup } from "@steward/agent/backups";
import { destinationSettings } from "@steward/contracts/backups";
import { type S3Server, startS3rver } from "@steward/testkit";
import { afterAll, expect, it } from "vitest";
import { describeConsole, onPage, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;
let s3: S3Server;
let destination = "";

describeConsole("the storage explorer", { timeout: 180_000 }, () => {
  const ui = useConsole({
    panel: { env: { STEWARD_LOCAL_AGENT: "0", STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } },
    signIn: true,
    timeout: 120_000,
    seed: async (run) => {
      s3 = await startS3rver();
      const account = await run.panel.api("POST", "/api/v1/accounts", {
        key: run.key,
        body: { slug: "shop", name: "Shop" },
      });
      if (account.status !== 201) throw new Error(JSON.stringify(account.body));
      const settings = {
        kind: "s3",
        endpoint: s3.endpoint,
        bucket: s3.bucket,
        prefix: "console",
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
      };
      const made = await run.panel.api("POST", "/api/v1/backup-destinations", {
        key: run.key,
        body: { name: "Shop bucket", accountId: account.body.id, settings },
      });
      if (made.status !== 201) throw new Error(JSON.stringify(made.body));
      destination = made.body.id;
      const target = openDestination(destinationSettings.parse(settings));
      const written = await runBackup({
        source: Readable.from([Buffer.from("the shop's files")]),
        sourceInfo: { kind: "files", nodeId: null, description: "/srv/shop", producer: null },
        name: "shop-2026-12-01.tar.zst",
        compressionLevel: 1,
        recipients: [],
        destinations: [{ id: "bucket", destination: target }],
      });
      if (written.status !== "succeeded") throw new Error(JSON.stringify(written));
      await target.put(Readable.from([Buffer.from("notes")]), "notes.txt");
      await target.close();
    },
  });
  afterAll(() => s3?.stop());
  const { row, axe } = onPage(ui);
  const shot = async (name: string) => {
    if (SHOTS) await ui.page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };
  const confirmDialog = () => ui.page.getByRole("alertdialog");

  it("lists unknown objects, imports the artifact, deletes it after naming it", async () => {
    const page = ui.page;
    await page.goto(`${ui.panel.url}/backups/destinations/${destination}/objects`);
    await page.getByRole("heading", { name: "What Shop bucket holds" }).waitFor();
    const artifact = row("Objects", "shop-2026-12-01.tar.zst");
    await artifact.getByText("unknown", { exact: true }).waitFor();
    await artifact.getByText("files /srv/shop").waitFor();
    await row("Objects", "notes.txt").getByText("no sidecar").waitFor();
    // no sidecar: nothing to import it from
    await expect(row("Objects", "notes.txt").getByRole("checkbox").count()).resolves.toBe(0);
    await axe();
    await shot("backup-explorer-unknown");

    await artifact.getByRole("checkbox", { name: /shop-2026-12-01/ }).check();
    await page.getByRole("button", { name: "Import selected (1)" }).click();
    await confirmDialog()
      .getByText(/shop-2026-12-01\.tar\.zst become artifacts/)
      .waitFor();
    await confirmDialog().getByRole("button", { name: "Import" }).click();
    await page.getByText("1 artifact(s) imported").waitFor();
    await artifact.getByText("known", { exact: true }).waitFor();
    await artifact.getByText("imported").waitFor();
    await shot("backup-explorer-imported");

    await artifact.getByRole("button", { name: "Delete" }).click();
    await confirmDialog()
      .getByRole("heading", { name: "Delete the artifact shop-2026-12-01.tar.zst?" })
      .waitFor();
    await confirmDialog().getByRole("button", { name: "Delete artifact" }).click();
    await artifact.getByText(/only good copy of \/srv\/shop/).waitFor();
    await axe();
    await shot("backup-explorer-only-copy");
    await artifact.getByRole("button", { name: "Delete anyway" }).click();
    const confirm = confirmDialog().getByRole("button", { name: "Delete the only copy" });
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await confirmDialog().getByRole("textbox").fill("shop-2026-12-01.tar.zst");
    await confirm.click();
    await page.getByText("Artifact shop-2026-12-01.tar.zst deleted").waitFor();
    await artifact.waitFor({ state: "detached" });
    await shot("backup-explorer-deleted");
    const left = openDestination(
      destinationSettings.parse({
        kind: "s3",
        endpoint: s3.endpoint,
        bucket: s3.bucket,
        prefix: "console",
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
      }),
    );
    expect((await left.list()).map((o) => o.name)).toEqual(["notes.txt"]);
    await left.close();
  });
});
