// One record of a mail domain checked in live DNS (GET …/dns-check): ok, missing or wrong,
// with what was found. MX: one pointing at the expected host (any MX when none is expected
// by name); SPF and DMARC: the one record of their kind at the name, compared tag by tag
// (SPF term by term); DKIM: the selector's record carrying the same public key.
import type { Resolver } from "node:dns/promises";
import type { MailDnsCheckAnswer, MailDnsRecord } from "@steward/contracts/mail";

type Checked = MailDnsCheckAnswer["records"][number];

/** `k=v; k=v` tags, keys lowercased, values without whitespace. */
const tags = (text: string) =>
  new Map(
    text
      .split(";")
      .map((t) => t.trim())
      .filter(Boolean)
      .map((t) => {
        const at = t.indexOf("=");
        return [t.slice(0, at).trim().toLowerCase(), t.slice(at + 1).replace(/\s+/g, "")] as const;
      }),
  );
const sameTags = (a: string, b: string) => {
  const [x, y] = [tags(a), tags(b)];
  return x.size === y.size && [...x].every(([key, v]) => y.get(key) === v);
};
const terms = (spf: string) => spf.trim().toLowerCase().split(/\s+/).join(" ");

async function lookup(resolver: Resolver, r: MailDnsRecord): Promise<string[]> {
  try {
    if (r.type === "MX")
      return (await resolver.resolveMx(r.fqdn)).map(
        (m) => `${m.priority} ${m.exchange.replace(/\.$/, "")}.`,
      );
    return (await resolver.resolveTxt(r.fqdn)).map((chunks) => chunks.join(""));
  } catch {
    return []; // no such name, no records of the type, or no answer: nothing found
  }
}

export async function checkRecord(resolver: Resolver, r: MailDnsRecord): Promise<Checked> {
  const found = await lookup(resolver, r);
  const state = (s: Checked["state"]): Checked => ({ ...r, state: s, found });
  switch (r.kind) {
    case "mx": {
      if (!found.length) return state("missing");
      if (!r.value) return state("ok");
      const host = r.value.split(" ")[1]?.toLowerCase();
      return state(found.some((f) => f.split(" ")[1]?.toLowerCase() === host) ? "ok" : "wrong");
    }
    case "spf": {
      const spf = found.filter((f) => f.toLowerCase().startsWith("v=spf1"));
      if (!spf.length) return state("missing");
      return state(spf.length === 1 && terms(spf[0] as string) === terms(r.value) ? "ok" : "wrong");
    }
    case "dkim":
    case "dmarc": {
      const prefix = r.kind === "dkim" ? "v=dkim1" : "v=dmarc1";
      const own = found.filter((f) => f.replace(/\s+/g, "").toLowerCase().startsWith(prefix));
      if (!own.length) return state(found.length ? "wrong" : "missing");
      return state(own.length === 1 && sameTags(own[0] as string, r.value) ? "ok" : "wrong");
    }
  }
}
