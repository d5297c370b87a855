// The hostile values of hostile-input.test.ts for the DNS providers API (dns-01): tokens that
// are no Cloudflare tokens, kinds and zones outside the contract, bad ids. None reaches
// Cloudflare: the contract refuses each before the token is checked.
import { CONTROL, enc, SQL } from "./hostile.ts";
import { badIds, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

export function dnsProviderCases(account: string): Case[] {
  const list = "/api/v1/dns-providers";
  const add = { account, name: "cf", token: "t".repeat(40) };
  return [
    ...bodyCases("POST", list, add),
    ...fieldCases("POST", list, add, "account", [SQL[0], "../x", null]),
    ...fieldCases("POST", list, add, "name", ["", "x".repeat(64), CONTROL[0]]),
    ...fieldCases("POST", list, add, "token", ["short", "a b".repeat(10), SQL[0], null]),
    ...fieldCases("POST", list, add, "kind", ["route53"]),
    ...fieldCases("POST", list, add, "zones", [[], "example.test"]),
    ...[["a b"], [1]].map(
      (zones): Case => ["POST", list, { ...add, zones }, 400, V, "body.zones.0"],
    ),
    ["GET", list, undefined, 400, V, "querystring.account"],
    ["GET", `${list}?account=${enc(SQL[0])}`, undefined, 400, V, "querystring.account"],
    // every route of the module parses its id with the same idParams: one bad id each
    ...badIds.slice(0, 2).flatMap((id): Case[] => [
      ["GET", `${list}/${id}`, undefined, 400, V, "params.id"],
      ["POST", `${list}/${id}/test`, undefined, 400, V, "params.id"],
      ["DELETE", `${list}/${id}`, undefined, 400, V, "params.id"],
    ]),
    ["GET", `${list}/dnsp_missing`, undefined, 404, "NOT_FOUND", ""],
    ["POST", `${list}/dnsp_missing/test`, undefined, 404, "NOT_FOUND", ""],
    ["DELETE", `${list}/dnsp_missing`, undefined, 404, "NOT_FOUND", ""],
  ];
}
