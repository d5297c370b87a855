// A mail domain's certificate row in the console against a real panel without an agent (the
// handshakes themselves: apps/server/src/modules/mail/mail-tls.test.ts): the node's first
// domain naming a site serves it to every client; a second domain's own site with a name
// under it is served by SNI; a site with no name under its domain is said not to be served.
// The page passes axe. STEWARD_SHOTS=<dir> keeps a screenshot.
import { expect, it } from "vitest";
import { describeConsole, onPage, runSql, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;

describeConsole("a mail domain's certificate", { timeout: 120_000 }, () => {
  const ui = useConsole({ panel: { env: { STEWARD_LOCAL_AGENT: "0" } }, signIn: true });
  const { axe } = onPage(ui);
  const api = async (method: string, path: string, body?: unknown) => {
    const r = await ui.panel.api(method, path, { key: ui.key, body });
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    return r.body;
  };

  it("says whether the named site's certificate is the node's, served by SNI, or not served", async () => {
    const node = (
      await api("POST", "/api/v1/nodes", { name: "mx-2", agentUrl: "https://127.0.0.1:1" })
    ).id;
    runSql(ui.panel, "update nodes set state = 'trusted' where id = ?", node);
    const named = async (domain: string, host: string) => {
      const site = await api("POST", "/api/v1/sites", {
        ...{ node, domains: [host], kind: "static", https: false },
      });
      const made = await api("POST", "/api/v1/mail/domains", { name: domain, node });
      await api("PATCH", `/api/v1/mail/domains/${made.id}`, { certificateSite: site.id });
      return { domain: made.id as string, site: site.id as string };
    };
    const first = await named("one.example", "mail.one.example");
    const second = await named("two.example", "mail.two.example");
    const stray = await named("three.example", "web.elsewhere.example");
    const row = () => ui.page.getByText(/^the site .*'s \(/);
    for (const [d, text] of [
      [first, "the node's mail certificate, served to every client"],
      [stray, "not served: the site has no name under this domain"],
      [second, "served by SNI to the site's names under this domain"],
    ] as const) {
      await ui.page.goto(`${ui.panel.url}/mail/${d.domain}`);
      await row().waitFor();
      expect(await row().textContent()).toBe(`the site ${d.site}'s (${text})`);
    }
    await axe();
    if (SHOTS)
      await ui.page.screenshot({ path: `${SHOTS}/mail-certificate-sni.png`, fullPage: true });
  });
});
