// The hostile values of hostile-input.test.ts for the certificates API (issue 13): site ids
// that are no ids, key types and options that are not in the contract, names a client tries
// to slip in (the names are the site's, never the request's), bad ids and pages.
import { CONTROL, enc, SQL } from "./hostile.ts";
import { badIds, badPages, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

export interface HostileCertificates {
  /** a site of account A */
  site: string;
  /** its certificate */
  certificate: string;
}

export function certificateCases(t: HostileCertificates): Case[] {
  const ask = { site: t.site };
  const list = "/api/v1/certificates";
  return [
    ...bodyCases("POST", list, ask),
    ...fieldCases("POST", list, ask, "site", [...SQL, "../x", "a b", "x".repeat(65), 1, null]),
    ...fieldCases("POST", list, ask, "keyType", ["rsa-1024", "dsa", "", "ECDSA-P256", ...SQL]),
    ...fieldCases("POST", list, ask, "hsts", ["yes", 1, null]),
    ...fieldCases("POST", list, ask, "challenge", ["tls-alpn-01", "HTTP-01", "", 1, null]),
    ...fieldCases("POST", list, ask, "wildcard", ["yes", 1, null]),
    ["POST", list, { ...ask, wildcard: true, challenge: "http-01" }, 400, V, "body.challenge"],
    ["POST", list, { ...ask, names: ["evil.example.com"] }, 400, V, "body.names"],
    ["POST", list, { site: "site_missing" }, 404, "NOT_FOUND", ""],
    ...uploadCases(t.site),
    ...badIds.map((id): Case => ["GET", `${list}/${id}`, undefined, 400, V, "params.id"]),
    ...badIds.map((id): Case => ["POST", `${list}/${id}/renew`, undefined, 400, V, "params.id"]),
    ["POST", `${list}/cert_missing/renew`, undefined, 404, "NOT_FOUND", ""],
    ...badPages.map(([q, field]): Case => ["GET", `${list}?${q}`, undefined, 400, V, field ?? ""]),
    ["GET", `${list}?state=${enc("valid")}`, undefined, 400, V, "querystring.state"],
    ["GET", `${list}?site=${enc(SQL[0])}`, undefined, 400, V, "querystring.site"],
    ["GET", `${list}?account=${enc(CONTROL[0])}`, undefined, 400, V, "querystring.account"],
  ];
}

const PEM_CERT = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
const PEM_KEY = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
/** What is refused before the PEM is read: shapes, sizes (1 MB blobs), what is no PEM. */
function uploadCases(site: string): Case[] {
  const url = "/api/v1/certificates/upload";
  const upload = { site, certificate: PEM_CERT, key: PEM_KEY };
  const blob = (head: string) => `${head}\n${"A".repeat(1_000_000)}`;
  return [
    ...bodyCases("POST", url, upload),
    ...fieldCases("POST", url, upload, "site", [...SQL, "../x", 1, null]),
    ...fieldCases("POST", url, upload, "certificate", [
      "",
      "not a certificate",
      ...SQL,
      blob("-----BEGIN CERTIFICATE-----"),
      1,
      null,
    ]),
    ...fieldCases("POST", url, upload, "chain", ["garbage", blob("-----BEGIN CERTIFICATE-----")]),
    ...fieldCases("POST", url, upload, "key", ["", "secret", blob("-----BEGIN PRIVATE KEY-----")]),
    ...fieldCases("POST", url, upload, "hsts", ["yes", 1]),
    ["POST", url, { ...upload, names: ["evil.example.com"] }, 400, V, "body.names"],
    ["POST", url, upload, 400, V, "body.certificate"],
    ["POST", url, { ...upload, site: "site_missing" }, 404, "NOT_FOUND", ""],
  ];
}
