// Mail clients' autoconfiguration (docs/mail.md, "Mail clients"): Thunderbird's
// config-v1.1.xml and Outlook's autodiscover answered by the panel for the mail domains it
// serves, with the host the certificate served for the domain names (its own by SNI, else
// the node's mail certificate); which certificates a node is sent; the same 404 for any
// other name; hostile addresses and request bodies refused naming the field; rate-limited per address.
import { beforeAll, describe, expect, it } from "vitest";
import { snapshot } from "../../testing/fixtures.ts";
import { trustedNode } from "../../testing/trusted-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { escapeXml, outlookAutodiscover, thunderbirdConfig } from "./autoconfig-xml.ts";
import { nodeMailState } from "./tasks.ts";

const outlookRequest = (address: string) =>
  `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
  <Request>
    <EMailAddress>${address}</EMailAddress>
    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
  </Request>
</Autodiscover>`;

const thunderbird = (address: string, domain: string, host: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="${domain}">
    <domain>${domain}</domain>
    <displayName>${domain}</displayName>
    <displayShortName>${domain}</displayShortName>
    <incomingServer type="imap">
      <hostname>${host}</hostname>
      <port>143</port>
      <socketType>STARTTLS</socketType>
      <authentication>password-cleartext</authentication>
      <username>${address}</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>${host}</hostname>
      <port>465</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>${address}</username>
    </outgoingServer>
    <outgoingServer type="smtp">
      <hostname>${host}</hostname>
      <port>587</port>
      <socketType>STARTTLS</socketType>
      <authentication>password-cleartext</authentication>
      <username>${address}</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>
`;

const protocol = (type: string, host: string, port: number, enc: string, address: string) =>
  `      <Protocol>
        <Type>${type}</Type>
        <Server>${host}</Server>
        <Port>${port}</Port>
        <LoginName>${address}</LoginName>
        <DomainRequired>off</DomainRequired>
        <SPA>off</SPA>
        <SSL>on</SSL>
        <Encryption>${enc}</Encryption>
        <AuthRequired>on</AuthRequired>
      </Protocol>`;

const outlook = (address: string, host: string) =>
  `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
${protocol("IMAP", host, 143, "TLS", address)}
${protocol("SMTP", host, 465, "SSL", address)}
    </Account>
  </Response>
</Autodiscover>
`;

describe("mail client autoconfiguration", () => {
  const s = useServer("sqlite");
  const w = useWorld(s);
  const config = (address: string) =>
    s.request("GET", `/mail/config-v1.1.xml?emailaddress=${encodeURIComponent(address)}`);
  const discover = (body: string, type = "text/xml") =>
    s.request("POST", "/autodiscover/autodiscover.xml", {
      body,
      headers: { "content-type": type },
    });
  let deleting: string;
  let other: string;
  const sites: Record<string, string> = {};
  const domains: Record<string, string> = {};

  beforeAll(async () => {
    const node = await trustedNode(s, "autoconfig");
    other = await trustedNode(s, "autoconfig-tls");
    await s.svc.mail.create(s.cli, { name: "plain.example.org", node, account: w.a });
    // on the other node, a domain whose certificate is a site's: clients are sent to its name
    const site = await s.svc.sites.create(s.cli, {
      node: other,
      account: w.b,
      kind: "static",
      domains: ["mx.hosting.example.net"],
      aliases: [],
      redirect: "none",
      root: "public",
    });
    const tls = await s.svc.mail.create(s.cli, {
      name: "shop.example.net",
      node: other,
      account: w.b,
    });
    await s.svc.mail.update(s.cli, tls.id, { certificateSite: site.id });
    sites["shop.example.net"] = site.id;
    domains["shop.example.net"] = tls.id;
    domains["second.example.net"] = (
      await s.svc.mail.create(s.cli, { name: "second.example.net", node: other, account: w.b })
    ).id;
    // a domain naming a site of its own (served by SNI) is sent to that site's name under it;
    // one naming a site with no name under it, to the node's mail certificate's name
    const ownSite = async (domains: string[]) =>
      s.svc.sites.create(s.cli, {
        ...{ node: other, account: w.b, kind: "static", domains, aliases: [] },
        ...{ redirect: "none", root: "public" },
      });
    for (const [name, names] of [
      ["own.example.net", ["www.elsewhere.example.com", "mail.own.example.net"]],
      ["stray.example.net", ["stray-web.example.com"]],
    ] as const) {
      const site = await ownSite([...names]);
      sites[name] = site.id;
      const made = await s.svc.mail.create(s.cli, { name, node: other, account: w.b });
      domains[name] = made.id;
      await s.svc.mail.update(s.cli, made.id, { certificateSite: site.id });
    }
    deleting = (await s.svc.mail.create(s.cli, { name: "gone.example.org", node, account: w.a }))
      .id;
    await s.svc.mail.remove(s.cli, deleting);
  });

  it("answers Thunderbird with the real clientConfig, for any local part of a served domain", async () => {
    const res = await config("Anna.Berg@PLAIN.example.org");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
    expect(res.body).toBe(
      thunderbird("anna.berg@plain.example.org", "plain.example.org", "plain.example.org"),
    );
    // the well-known path the domain itself may serve answers the same
    const known = await s.request(
      "GET",
      "/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=anna.berg%40plain.example.org",
    );
    expect(known.body).toBe(res.body);
    // the node's mail certificate names a site: every domain of that node is sent there
    for (const d of ["shop.example.net", "second.example.net", "stray.example.net"])
      expect((await config(`info@${d}`)).body).toBe(
        thunderbird(`info@${d}`, d, "mx.hosting.example.net"),
      );
    // a domain whose own certificate is served by SNI is sent to the name it is served to
    expect((await config("info@own.example.net")).body).toBe(
      thunderbird("info@own.example.net", "own.example.net", "mail.own.example.net"),
    );
  });

  it("sends the node the first naming domain's site as its certificate, the others by SNI to their names under their domains", async () => {
    const { input } = await nodeMailState(s.svc.db.db, other);
    expect(input.certificate).toEqual({ id: sites["shop.example.net"] });
    // www.elsewhere.example.com is no name under own.example.net; stray's site has none
    expect(input.sni).toEqual([{ id: sites["own.example.net"], names: ["mail.own.example.net"] }]);
    // the domain's read says how its certificate is served (null: not at all, or none named)
    for (const [name, served] of [
      ["shop.example.net", "default"],
      ["own.example.net", "sni"],
      ["stray.example.net", null],
      ["second.example.net", null],
    ] as const) {
      const read = await s.request("GET", `/api/v1/mail/domains/${domains[name]}`, {
        key: w.keys.super,
      });
      expect(read.body.certificateServed, JSON.stringify(read.body)).toBe(served);
    }
  });

  it("answers Outlook's autodiscover request with the outlook response schema", async () => {
    const res = await discover(outlookRequest("Info@Shop.Example.Net"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
    expect(res.body).toBe(outlook("info@shop.example.net", "mx.hosting.example.net"));
    const capital = await s.request("POST", "/Autodiscover/Autodiscover.xml", {
      body: outlookRequest("anna@plain.example.org"),
      headers: { "content-type": "application/xml" },
    });
    expect(capital.body).toBe(outlook("anna@plain.example.org", "plain.example.org"));
  });

  it("says the same unknown for a name nobody serves, another kind of name and a deleted domain", async () => {
    const names = [
      "nobody@unserved.example.org",
      // a site's name, not a mail domain
      "info@mx.hosting.example.net",
      "info@gone.example.org",
    ];
    const answers = [];
    for (const a of names) {
      const tb = await config(a);
      const ol = await discover(outlookRequest(a));
      const said = (r: typeof tb) => [r.status, r.body.error.code, r.body.error.message];
      answers.push(said(tb), said(ol));
    }
    const unknown = [404, "NOT_FOUND", "mail settings for this address not found"];
    expect(answers).toEqual(names.flatMap(() => [unknown, unknown]));
  });

  it("refuses hostile addresses and request bodies naming the field, and writes nothing", async () => {
    const before = await snapshot(s);
    const bad = [
      "a\nb@plain.example.org",
      "a\u0000@plain.example.org",
      '"a"@plain.example.org',
      "a%b@plain.example.org",
      "a!b@plain.example.org",
      "a..b@plain.example.org",
      "a;b@plain.example.org",
      "a`b@plain.example.org",
      "a--'@plain.example.org",
      `${"a".repeat(300)}@plain.example.org`,
      "a@plain.example.org\r\nx-injected: 1",
      "a@../../etc/passwd",
      "plain.example.org",
      "",
    ];
    const wrong: unknown[] = [];
    for (const a of bad) {
      const tb = await config(a);
      if (tb.status !== 400 || tb.body.error.details?.[0]?.field !== "querystring.emailaddress")
        wrong.push({ a, tb: tb.body });
      const ol = await discover(outlookRequest(a.replace(/</g, "&lt;")));
      if (ol.status !== 400 || ol.body.error.details?.[0]?.field !== "body.EMailAddress")
        wrong.push({ a, ol: ol.body });
    }
    expect(wrong).toEqual([]);
    // no address, an unknown query field, two addresses, an entity (never expanded)
    const none = await s.request("GET", "/mail/config-v1.1.xml");
    expect(none.body.error.details[0].field).toBe("querystring.emailaddress");
    const extra = await s.request(
      "GET",
      "/mail/config-v1.1.xml?emailaddress=a%40plain.example.org&x=1",
    );
    expect(extra.status).toBe(400);
    const two = await discover(
      `${outlookRequest("a@plain.example.org")}${outlookRequest("b@plain.example.org")}`,
    );
    expect([two.status, two.body.error.details[0].field]).toEqual([400, "body.EMailAddress"]);
    const xxe = await discover(
      `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${outlookRequest("&x;")}`,
    );
    expect([xxe.status, xxe.body.error.details[0].field]).toEqual([400, "body.EMailAddress"]);
    // JSON, plain text and a body over the limit
    const json = await s.request("POST", "/autodiscover/autodiscover.xml", {
      body: { EMailAddress: "a@plain.example.org" },
    });
    expect([json.status, json.body.error.details[0].field]).toEqual([400, "body"]);
    const text = await discover(outlookRequest("a@plain.example.org"), "text/plain");
    expect(text.status).toBe(415);
    const huge = await discover(outlookRequest("a@plain.example.org") + " ".repeat(10_000));
    expect(huge.status).toBe(413);
    expect(await snapshot(s)).toEqual(before);
  });

  it("escapes every value it writes into the XML", () => {
    // values the address rule would refuse, to prove the escaping on its own
    const s = { address: `a&b"@x.test`, domain: "x<y>.test", host: "h'.test" };
    const both = thunderbirdConfig(s) + outlookAutodiscover(s);
    expect(both).not.toMatch(/a&b|x<y>|h'\.|"@/);
    expect(both).toContain(`<username>${escapeXml(s.address)}</username>`);
    expect(both).toContain('<emailProvider id="x&lt;y&gt;.test">');
    expect(both).toContain("<Server>h&apos;.test</Server>");
    expect(escapeXml(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&apos;");
  });

  it("on a node shared by two accounts, shows no account's certificate to another's clients", async () => {
    // account a's domain on the node whose mail certificate was account b's site
    const site = await s.svc.sites.create(s.cli, {
      ...{ node: other, account: w.a, kind: "static", domains: ["mail.tenant.example.org"] },
      ...{ aliases: [], redirect: "none", root: "public" },
    });
    const made = await s.svc.mail.create(s.cli, {
      name: "tenant.example.org",
      node: other,
      account: w.a,
    });
    await s.svc.mail.update(s.cli, made.id, { certificateSite: site.id });
    const { input } = await nodeMailState(s.svc.db.db, other);
    // none is every client's: each by SNI to its own names (b's shop site has none under shop)
    expect(input.certificate).toBeNull();
    expect(input.sni).toEqual([
      { id: sites["own.example.net"], names: ["mail.own.example.net"] },
      { id: site.id, names: ["mail.tenant.example.org"] },
    ]);
    // b's clients are no longer sent to a name of b's site that a's clients would be shown,
    // and a's never to b's
    expect((await config("info@second.example.net")).body).toBe(
      thunderbird("info@second.example.net", "second.example.net", "second.example.net"),
    );
    expect((await config("info@tenant.example.org")).body).toBe(
      thunderbird("info@tenant.example.org", "tenant.example.org", "mail.tenant.example.org"),
    );
    await s.svc.mail.remove(s.cli, made.id);
  });

  it("limits how often one address may ask", async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 61; i++) statuses.add((await config("anna@plain.example.org")).status);
    expect([...statuses].sort()).toEqual([200, 429]);
  });
});
