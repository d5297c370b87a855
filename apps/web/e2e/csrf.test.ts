// Finding 4 in a real browser: a page on another origin of the same site (another port of
// localhost: SameSite=Lax cookies are sent to it) revokes a node with a body-less no-cors
// POST carrying the console's session cookie. The panel must refuse it and change nothing;
// the same request from the console's own origin (the control) works.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { newContext, PASSWORD } from "./harness.ts";
import { describeConsole, ROOT, useConsole } from "./harness-console.ts";

describeConsole("CSRF from another origin of the same site", () => {
  const ui = useConsole();
  let attacker: Server;
  let attackerUrl = "";
  beforeAll(async () => {
    // the attacker's page only needs to exist; the browser runs the attack in it
    attacker = createServer((_req, res) => {
      res.setHeader("content-type", "text/html");
      res.end("<!doctype html><title>cute cats</title>");
    });
    await new Promise<void>((r) => attacker.listen(0, "127.0.0.1", r));
    attackerUrl = `http://localhost:${(attacker.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => attacker?.close(r));
  });

  async function newNode(name: string): Promise<string> {
    const res = await ui.panel.api("POST", "/api/v1/nodes", {
      key: ui.key,
      body: { name, agentUrl: "https://10.0.0.2:7443" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }
  const stateOf = async (id: string) =>
    (await ui.panel.api("GET", `/api/v1/nodes/${id}`, { key: ui.key })).body.state;

  it("refuses the forged revoke and keeps the node; the console's own origin may", async () => {
    const target = await newNode("victim");
    const before = await stateOf(target);
    expect(before).not.toBe("revoked");
    const context = await newContext(ui.browser);
    const page = await context.newPage();
    // sign in as the person would, in the console's origin
    await page.goto(`${ui.panel.url}/api/v1/setup`);
    const signIn = await page.evaluate(
      async ([email, password]) =>
        (
          await fetch("/api/auth/sign-in/email", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ email, password }),
          })
        ).status,
      [ROOT, PASSWORD] as const,
    );
    expect(signIn).toBe(200);
    expect((await context.cookies(ui.panel.url)).map((c) => c.name)).toContain(
      "steward.session_token",
    );

    // the attack: another origin of the same site, the cookie goes along (SameSite=Lax)
    await page.goto(attackerUrl);
    const url = `${ui.panel.url}/api/v1/nodes/${target}/revoke`;
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
    const audit = await ui.panel.api("GET", "/api/v1/audit-events?action=node.revoke", {
      key: ui.key,
    });
    expect(audit.body.items.map((e: { outcome: string }) => e.outcome)).toEqual(["denied"]);

    // control: the same request from the console's origin is accepted
    await page.goto(`${ui.panel.url}/api/v1/setup`);
    const own = await page.evaluate(
      async (u) => (await fetch(u, { method: "POST", credentials: "include" })).status,
      url,
    );
    expect(own).toBe(200);
    expect(await stateOf(target)).toBe("revoked");
    await context.close();
  });
});
