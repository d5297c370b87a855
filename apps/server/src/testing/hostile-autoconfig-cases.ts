// Hostile values for the mail clients' autoconfiguration (public, rate-limited: a few cases;
// modules/mail/autoconfig.test.ts has the full table): an address with a newline, a quote,
// a routing character or 300 characters is refused naming the field before any look-up.
import { enc, Raw, SQL } from "./hostile.ts";
import { type Case, V } from "./hostile-cases.ts";

const request = (address: string) =>
  new Raw(
    "text/xml",
    `<Autodiscover><Request><EMailAddress>${address}</EMailAddress></Request></Autodiscover>`,
  );

export function autoconfigCases(): Case[] {
  const bad = [
    "a\nb@example.org",
    `${SQL[0]}@example.org`,
    "a%b!c@example.org",
    `${"a".repeat(300)}@example.org`,
  ];
  return [
    ...bad.map(
      (a): Case => [
        "GET",
        `/mail/config-v1.1.xml?emailaddress=${enc(a)}`,
        undefined,
        400,
        V,
        "querystring.emailaddress",
      ],
    ),
    [
      "GET",
      `/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=${enc("a@..")}`,
      undefined,
      400,
      V,
      "querystring.emailaddress",
    ],
    ...bad.map(
      (a): Case => [
        "POST",
        "/autodiscover/autodiscover.xml",
        request(a),
        400,
        V,
        "body.EMailAddress",
      ],
    ),
    ["POST", "/Autodiscover/Autodiscover.xml", request(""), 400, V, "body.EMailAddress"],
  ];
}
