// Finding 4 in a real browser: a page on another origin of the same site (another port of
// localhost: SameSite=Lax cookies are sent to it) revokes a node with a body-less no-cors
// POST carrying the console's session cookie. The panel must refuse it and change nothing;
// the same request from the console's own origin (the control) works.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chromiumOrSkip,
  launchChromium,
  newContext,
  PASSWORD,
  type Panel,
  startPanel,
} from "./harness.ts";

const chromiumPath = chromiumOrSkip();

describe.skipIf(!chromiumPath)("CSRF from another origin of the same site", () => {
  let panel: Panel;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let attacker: Server;
  let attackerUrl = "";
  let key = "";
  beforeAll(async () => {
    panel = await startPanel();
    key = await panel.setupSuper("root@example.com");
    browser = await launchChromium();
    // the attacker's page only needs to exist; the browser runs the attack in it
    attacker = createServer((_req, res) => {
      res.setHeader("content-type", "text/html");
      res.end("<!doctype html><title>cute cats</title>");
    });
    await new Promise<void>((r) => attacker.listen(0, "127.0.0.1", r));
    attackerUrl = `http://localhost:${(attacker.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await browser?.close();
    await panel?.close();
    await new Promise((r) => attacker?.close(r));
  });

  async function newNode(name: string): Promise<string> {
    const res = await panel.api("POST", "/api/v1/nodes", {
      key,
      body: { name, agentUrl: "https://10.0.0.2:7443" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }
  const stateOf = async (id: string) =>
    (await panel.api("GET", `/api/v1/nodes/${id}`, { key })).body.state;

  it("refuses the forged revoke and keeps the node; the console's own origin may", async () => {
    const target = await newNode("victim");
    const before = await stateOf(target);
    expect(before).not.toBe("revoked");
    const context = await newContext(browser);
    const page = await context.newPage();
    // sign in as the person would, in the console's origin
    await page.goto(`${panel.url}/api/v1/setup`);
    const signIn = await page.evaluate(
      async ([email, password]) =>
        (
          await fetch("/api/auth/sign-in/email", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ email, password }),
          })
        ).status,
      ["root@example.com", PASSWORD] as const,
    );
    expect(signIn).toBe(200);
    expect((await context.cookies(panel.url)).map((c) => c.name)).toContain(
      "steward.session_token",
    );

    // the attack: another origin of the same site, the cookie goes along (SameSite=Lax)
    await page.goto(attackerUrl);
    const url = `${panel.url}/api/v1/nodes/${target}/revoke`;
    const sent = await page.evaluate(async (u) => {
      try {
        return (await fetch(u, { method: "POST", mode: "no-cors", credentials: "include" })).type;
      } catch {
        // the request went out; only its answer is withheld (Cross-Origin-Resource-Policy)
        return "sent, answer withheld";
      }
    }, url);
    expect(["opaque", "sent, answer withheld"]).toContain(sent);
    expect(await stateOf(target)).toBe(before);
    const audit = await panel.api("GET", "/api/v1/audit-events?action=node.revoke", { key });
    expect(audit.body.items.map((e: { outcome: string }) => e.outcome)).toEqual(["denied"]);

    // control: the same request from the console's origin is accepted
    await page.goto(`${panel.url}/api/v1/setup`);
    const own = await page.evaluate(
      async (u) => (await fetch(u, { method: "POST", credentials: "include" })).status,
      url,
    );
    expect(own).toBe(200);
    expect(await stateOf(target)).toBe("revoked");
    await context.close();
  });
});
