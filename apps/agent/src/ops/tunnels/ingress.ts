// cloudflared's ingress rules in its config.yml, edited as a YAML document (the `yaml`
// package: comments, other keys and their order kept). cloudflared's rules
// (developers.cloudflare.com, "Configuration file" / "Ingress rules"): `ingress` is a list of
// rules, each with a `service`; every rule but the last names a `hostname` (or a `path`), and
// the last is the catch-all (no hostname, no path) that answers what nothing else matched.
// Steward adds a rule just before the catch-all (adding `service: http_status:404` when the
// file has none), never twice for a hostname, and removes only the rule of that hostname.
import { isDnsName } from "@steward/contracts/validators";
import { type Document, isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from "yaml";

export interface Rule {
  hostname: string | null;
  path: string | null;
  service: string;
}

export const CATCH_ALL = "http_status:404";

/** What cloudflared accepts as a rule's service (the kinds Steward reads back). */
const SERVICE =
  /^(https?|tcp|ssh|rdp|unix|unix\+tls|smb|ws|wss):\/\/\S+$|^http_status:[1-5]\d\d$|^hello_world$|^bastion$/;

/** Parses the file: its document, or why it cannot be used (in words). */
export function readConfig(text: string): { doc: Document } | { error: string } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length)
    return { error: `config.yml is not valid YAML: ${doc.errors[0]?.message}` };
  if (doc.contents !== null && !isMap(doc.contents))
    return { error: "config.yml is not a mapping of settings" };
  return { doc };
}

/** The rules of a document, or why they are not cloudflared's. */
export function rulesOf(doc: Document): Rule[] | string {
  const ingress = doc.get("ingress");
  if (ingress === undefined || ingress === null) return [];
  if (!isSeq(ingress)) return "`ingress` is not a list";
  const rules: Rule[] = [];
  for (const [i, item] of ingress.items.entries()) {
    if (!isMap(item)) return `ingress rule ${i + 1} is not a mapping`;
    const rule = item.toJSON() as Record<string, unknown>;
    const { hostname = null, path = null, service } = rule;
    if (typeof service !== "string") return `ingress rule ${i + 1} has no service`;
    if (hostname !== null && typeof hostname !== "string")
      return `ingress rule ${i + 1}'s hostname is not a string`;
    if (path !== null && typeof path !== "string")
      return `ingress rule ${i + 1}'s path is not a string`;
    rules.push({ hostname, path, service });
  }
  return rules;
}

/**
 * The schema check cloudflared's `tunnel ingress validate` makes, for nodes without the
 * binary: every rule has a service cloudflared knows, all but the last match a hostname or a
 * path, the last matches everything, and no hostname is routed twice.
 */
export function checkRules(rules: readonly Rule[]): string | null {
  if (!rules.length) return null;
  const seen = new Set<string>();
  for (const [i, r] of rules.entries()) {
    const last = i === rules.length - 1;
    if (!SERVICE.test(r.service))
      return `ingress rule ${i + 1}: service "${r.service}" is not one cloudflared knows`;
    if (last && (r.hostname !== null || r.path !== null))
      return "the last ingress rule must match everything (no hostname, no path): the catch-all";
    if (!last && r.hostname === null && r.path === null)
      return `ingress rule ${i + 1} matches everything but is not the last: the rules after it are never used`;
    if (r.hostname !== null) {
      const name = r.hostname.toLowerCase();
      const wildcard = name.startsWith("*.") ? name.slice(2) : name;
      if (!isDnsName(wildcard)) return `ingress rule ${i + 1}: "${r.hostname}" is not a hostname`;
      if (seen.has(`${name}|${r.path ?? ""}`)) return `${r.hostname} is routed twice`;
      seen.add(`${name}|${r.path ?? ""}`);
    }
  }
  return null;
}

/** The `tunnel:` key (the tunnel's id or name), when set. */
export const tunnelOf = (doc: Document): string | null => {
  const t = doc.get("tunnel");
  return typeof t === "string" ? t : null;
};

const ingressSeq = (doc: Document): YAMLSeq => {
  const found = doc.get("ingress");
  if (isSeq(found)) return found;
  const seq = new YAMLSeq();
  if (doc.contents === null) doc.contents = new YAMLMap() as never;
  doc.set("ingress", seq);
  return seq;
};

/**
 * Adds `hostname` → `service` before the catch-all (adding one when missing). Refused (a
 * message) when the hostname is already routed or the file's rules are not cloudflared's.
 */
export function addRule(doc: Document, hostname: string, service: string): string | null {
  const rules = rulesOf(doc);
  if (typeof rules === "string") return rules;
  const bad = checkRules(rules);
  if (bad) return `the file's ingress is not valid already: ${bad}`;
  if (rules.some((r) => r.hostname?.toLowerCase() === hostname && r.path === null))
    return `${hostname} is already routed by this tunnel`;
  const seq = ingressSeq(doc);
  const rule = doc.createNode({ hostname, service });
  const last = rules.at(-1);
  const hasCatchAll = last !== undefined && last.hostname === null && last.path === null;
  if (hasCatchAll) seq.items.splice(seq.items.length - 1, 0, rule);
  else seq.items.push(rule, doc.createNode({ service: CATCH_ALL }));
  return null;
}

/** Removes the rule of `hostname` (no path); false when there was none. */
export function removeRule(doc: Document, hostname: string): boolean | string {
  const rules = rulesOf(doc);
  if (typeof rules === "string") return rules;
  const at = rules.findIndex((r) => r.hostname?.toLowerCase() === hostname && r.path === null);
  if (at < 0) return false;
  ingressSeq(doc).items.splice(at, 1);
  return true;
}
