// The hermetic WordPress: installed and answering, its application password accepted by the
// REST API, and a plugin update offered by the local update source applied by WordPress's
// own upgrader (through the PHP bootstrap; the connector's route is tested in the panel).
import { afterAll, describe, expect, it } from "vitest";
import { helloPlugin, startWordPress, type WordPressSite } from "./wordpress.ts";

const wp = await startWordPress();
afterAll(() => wp?.stop());

describe.skipIf(!wp)("testkit WordPress", () => {
  const site = wp as WordPressSite;
  const auth = () =>
    `Basic ${Buffer.from(`${site.admin.user}:${site.admin.applicationPassword}`).toString("base64")}`;

  it("serves its home page and accepts the application password", async () => {
    const home = await fetch(`${site.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Steward Test");
    const me = await fetch(`${site.url}/wp-json/wp/v2/users/me?context=edit`, {
      headers: { authorization: auth() },
    });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { slug: string }).slug).toBe("admin");
    const bad = await fetch(`${site.url}/wp-json/wp/v2/users/me`, {
      headers: { authorization: `Basic ${Buffer.from("admin:wrong").toString("base64")}` },
    });
    expect(bad.status).toBe(401);
  });

  it("applies a plugin update the local update source offers", async () => {
    await site.updates.offerPlugin({
      file: "hello-steward/hello-steward.php",
      version: "1.1.0",
      files: helloPlugin("1.1.0"),
    });
    const out = await site.php(`
      require_once ABSPATH . 'wp-admin/includes/class-wp-upgrader.php';
      delete_site_transient('update_plugins');
      wp_update_plugins();
      $r = (new Plugin_Upgrader(new Automatic_Upgrader_Skin()))->upgrade('hello-steward/hello-steward.php'); 
      echo json_encode($r);`);
    expect(out).toBe("true");
    expect(await site.pluginVersion("hello-steward/hello-steward.php")).toBe("1.1.0");
    expect(site.updates.requests).toContain("/plugins/update-check/1.1/");
  });
});
