// Which certificates a node's Postfix and Dovecot serve (docs/mail.md#tls). On a node serving
// one account's domains, the first served domain (by creation) that names a site gives the
// node's mail certificate, served to every client naming no name it knows; on a node shared by
// several accounts none does (the node keeps its own certificate for those clients). Every other site a served domain names is served by SNI, to
// the site's names that are one of the domains naming it or under one (mail.example.com for
// example.com): a name outside the account's own domains is never claimed, and the agent's
// contract refuses any other name.
import { underOneOf } from "@steward/contracts/agent";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { findSite } from "../sites/repo.ts";
import { type DomainRow, domainsOfNode } from "./repo.ts";

export interface NodeCertificates {
  /** the node's mail certificate's site */
  certificate: { id: string } | null;
  /** the other sites, each with the names a client gives to get its certificate */
  sni: { id: string; names: string[] }[];
}

/** The certificates of the node whose served (not deleting) domains are `served`. */
export async function nodeCertificates(
  db: Kysely<Database>,
  served: readonly DomainRow[],
): Promise<NodeCertificates> {
  const naming0 = served.find((d) => d.certificate_site_id !== null);
  // an account's certificate is every client's only on a node serving that account alone: on a
  // shared node no account's names are shown to another's clients (each is served by SNI, the
  // node's own certificate to the rest)
  const oneAccount = served.every((d) => d.account_id === naming0?.account_id);
  const first = oneAccount ? (naming0?.certificate_site_id ?? null) : null;
  const naming = new Map<string, Set<string>>();
  for (const d of served) {
    const id = d.certificate_site_id;
    if (id === null || id === first) continue;
    naming.set(id, (naming.get(id) ?? new Set()).add(d.name));
  }
  // a name belongs to one site (site_domains' key), so no name is given twice
  const sni: NodeCertificates["sni"] = [];
  for (const [id, domains] of naming) {
    const site = await findSite(db, id);
    const names = (site?.domains ?? []).filter((n) => underOneOf(n, domains));
    if (names.length) sni.push({ id, names });
  }
  return { certificate: first ? { id: first } : null, sni };
}

/** The certificates of the node `nodeId`, from its served (not deleting) domains. */
export async function certificatesOfNode(db: Kysely<Database>, nodeId: string) {
  const domains = await domainsOfNode(db, nodeId);
  return nodeCertificates(
    db,
    domains.filter((d) => d.status !== "deleting"),
  );
}

/**
 * The host a mail client of `domain` is told (autoconfig): a name its own certificate is
 * served to by SNI (one under the domain first), else the first name of the node's mail
 * certificate's site, else the domain itself.
 */
export async function mailHostOf(
  db: Kysely<Database>,
  domain: DomainRow,
  certs: NodeCertificates,
): Promise<string> {
  const own = certs.sni.find((e) => e.id === domain.certificate_site_id);
  if (own)
    return (
      own.names.find((n) => underOneOf(n, new Set([domain.name]))) ?? own.names[0] ?? domain.name
    );
  const site = certs.certificate ? await findSite(db, certs.certificate.id) : undefined;
  return site?.domains[0] ?? domain.name;
}

/** How the certificate of the site `domain` names is served (the domain read's answer). */
export function certificateServed(domain: DomainRow, certs: NodeCertificates) {
  const site = domain.certificate_site_id;
  if (site === null) return null;
  if (certs.certificate?.id === site) return "default" as const;
  return certs.sni.some((e) => e.id === site) ? ("sni" as const) : null;
}
