// An outbound target as a tenant writes it (http(s)://host:port), taken apart once, the same
// way on the panel and on the agent. A host is either an IP literal in canonical form or a DNS
// name; a name whose last label is a number is refused, because resolvers read 2130706433,
// 0x7f.1, 0177.0.0.1 and 127.1 as addresses (127.0.0.1).
import { type Address, parseIp } from "./address.ts";

export interface Target {
  scheme: "http" | "https";
  /** lowercase, without a trailing dot; IPv6 without brackets */
  host: string;
  port: number;
  /** the address when the host is an IP literal, else null (a name, to resolve) */
  ip: Address | null;
}

const SHAPE = /^(https?):\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$/;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const NUMERIC = /^([0-9]+|0x[0-9a-f]*)$/;

/** The target, or why it is not one (a message to show after the field's name). */
export function parseTarget(url: string): Target | string {
  const m = SHAPE.exec(url);
  if (!m) return "must be http://host:port or https://host:port";
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return "the port must be between 1 and 65535";
  const scheme = m[1] as Target["scheme"];
  const raw = m[2] ?? "";
  if (raw.startsWith("[")) {
    const ip = parseIp(raw);
    if (ip?.kind() === "ipv4") return `${raw} is an IPv4-mapped address: write ${ip} instead`;
    if (!ip || raw.includes(".")) return `${raw} is not an IPv6 address in standard form`;
    return { scheme, host: raw.slice(1, -1).toLowerCase(), port, ip };
  }
  const host = raw.toLowerCase().replace(/\.$/, "");
  const labels = host.split(".");
  if (NUMERIC.test(labels.at(-1) ?? "")) {
    const ip = parseIp(host);
    if (!ip)
      return `${raw} is not an IPv4 address in standard form: write four decimal numbers without leading zeros, like 192.0.2.10`;
    return { scheme, host, port, ip };
  }
  if (host.length > 253 || !labels.every((l) => LABEL.test(l)))
    return `${raw} is not a valid host name`;
  return { scheme, host, port, ip: null };
}

/**
 * Names that are the machine itself by definition (RFC 6761): localhost and *.localhost.
 * Their addresses are fixed, whatever a resolver would say.
 */
export function fixedAddresses(host: string): string[] | null {
  return host === "localhost" || host.endsWith(".localhost") ? ["127.0.0.1", "::1"] : null;
}

/**
 * A name that never resolves (RFC 6761 6.4: `invalid` and the names under it; resolvers
 * answer them negatively at once, and the resolving code should not ask): no DNS query is sent.
 */
export const neverResolves = (host: string): boolean =>
  host === "invalid" || host.endsWith(".invalid");

const URL_SHAPE = /^(https?):\/\/([^/?#@\s]+)([/?#][^\s]*)?$/;

/**
 * The target of a full URL a tenant writes (a webhook, a self-hosted ntfy or Matrix server):
 * http(s)://host[:port][/path][?query], without user info, the host judged exactly as
 * parseTarget judges it (the default port filled in), or why it is not one.
 */
export function parseUrlTarget(url: string): Target | string {
  const m = URL_SHAPE.exec(url);
  if (!m) return "must be an http:// or https:// URL without user name or password";
  const scheme = m[1] as Target["scheme"];
  const authority = m[2] ?? "";
  const hasPort = authority.startsWith("[") ? authority.includes("]:") : authority.includes(":");
  const port = scheme === "https" ? 443 : 80;
  const t = parseTarget(`${scheme}://${hasPort ? authority : `${authority}:${port}`}`);
  if (typeof t === "string") return t;
  try {
    new URL(url);
  } catch {
    return "must be a valid URL";
  }
  return t;
}

/** A host and port reached over another protocol (SMTP), judged as parseTarget judges it. */
export function hostTarget(host: string, port: number): Target | string {
  const literal = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return parseTarget(`http://${literal}:${port}`);
}
