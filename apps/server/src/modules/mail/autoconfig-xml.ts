// The XML mail clients read (docs/mail.md, "Mail clients"): Thunderbird's clientConfig 1.1
// and Outlook's autodiscover (outlook response schema 2006a), and the one value read from
// an autodiscover request. Every value is escaped, though each passed the address rule.
// The node's ports are the standard ones: IMAP 143 with STARTTLS, submission 465 (implicit
// TLS) and 587 (STARTTLS), both with a password over TLS.
import type { MailClientSettings } from "@steward/contracts/mail";
import { invalid } from "../../lib/errors.ts";

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};
export const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

const tag = (name: string, value: string | number) =>
  `<${name}>${escapeXml(String(value))}</${name}>`;

const server =
  (kind: "incomingServer" | "outgoingServer", type: string) =>
  (s: MailClientSettings, port: number, socketType: "SSL" | "STARTTLS") =>
    [
      `    <${kind} type="${type}">`,
      `      ${tag("hostname", s.host)}`,
      `      ${tag("port", port)}`,
      `      ${tag("socketType", socketType)}`,
      `      ${tag("authentication", "password-cleartext")}`,
      `      ${tag("username", s.address)}`,
      `    </${kind}>`,
    ].join("\n");
const imap = server("incomingServer", "imap");
const smtp = server("outgoingServer", "smtp");

/** Thunderbird's autoconfig answer (https://wiki.mozilla.org/Thunderbird:Autoconfiguration). */
export function thunderbirdConfig(s: MailClientSettings): string {
  const id = escapeXml(s.domain);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<clientConfig version="1.1">',
    `  <emailProvider id="${id}">`,
    `    ${tag("domain", s.domain)}`,
    `    ${tag("displayName", s.domain)}`,
    `    ${tag("displayShortName", s.domain)}`,
    imap(s, 143, "STARTTLS"),
    smtp(s, 465, "SSL"),
    smtp(s, 587, "STARTTLS"),
    "  </emailProvider>",
    "</clientConfig>",
    "",
  ].join("\n");
}

const protocol = (s: MailClientSettings, type: string, port: number, encryption: string) =>
  [
    "      <Protocol>",
    `        ${tag("Type", type)}`,
    `        ${tag("Server", s.host)}`,
    `        ${tag("Port", port)}`,
    `        ${tag("LoginName", s.address)}`,
    `        ${tag("DomainRequired", "off")}`,
    `        ${tag("SPA", "off")}`,
    `        ${tag("SSL", "on")}`,
    `        ${tag("Encryption", encryption)}`,
    `        ${tag("AuthRequired", "on")}`,
    "      </Protocol>",
  ].join("\n");

/** Outlook's autodiscover answer (the "outlook" response schema, POX). */
export function outlookAutodiscover(s: MailClientSettings): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">',
    '  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">',
    "    <Account>",
    `      ${tag("AccountType", "email")}`,
    `      ${tag("Action", "settings")}`,
    protocol(s, "IMAP", 143, "TLS"),
    protocol(s, "SMTP", 465, "SSL"),
    "    </Account>",
    "  </Response>",
    "</Autodiscover>",
    "",
  ].join("\n");
}

/**
 * The address of an autodiscover request: the text of its one <EMailAddress> element, read
 * without an XML parser (so no entity, DTD or external reference is ever resolved); the
 * caller checks it with the address rule.
 */
export function autodiscoverAddress(body: unknown): string {
  const field = "body.EMailAddress";
  if (typeof body !== "string") throw invalid("body", "must be an autodiscover XML request");
  const found = [...body.matchAll(/<EMailAddress>([^<]*)<\/EMailAddress>/g)];
  if (found.length !== 1)
    throw invalid(field, "must be given once (<EMailAddress>name@example.com</EMailAddress>)");
  return (found[0]?.[1] ?? "").trim();
}
