// One ACME order: the CA's challenges of one type are answered by a solver (http-01: files
// the node's nginx serves, cert.challenge; dns-01: TXT records through a DNS provider, waited
// for until visible), placed before the CA is told to validate and removed afterwards
// whatever happened; then the order is finalized with the node's CSR and the chain fetched.
// A renewal names the certificate it replaces (RFC 9773 section 5: `replaces`, the old
// certificate's ARI certID) when the CA offers ARI; a CA refusing it (already replaced) gets
// the order again without it.
import type acme from "acme-client";
import { type AcmeProblem, explainChallenge } from "./failures.ts";

/** One challenge to answer: the name (a wildcard's base name), its token and answer. */
export interface ChallengeAnswer {
  name: string;
  token: string;
  /** the key authorization (http-01), or its digest (dns-01), as acme-client makes it */
  keyAuthorization: string;
}

export interface ChallengeSolver {
  type: "http-01" | "dns-01";
  place(list: ChallengeAnswer[]): Promise<void>;
  remove(list: ChallengeAnswer[]): Promise<void>;
}

/** The http-01 solver: files on the node, placed and removed by `send` (cert.challenge). */
export const httpSolver = (
  send: (place: { token: string; keyAuthorization: string }[], remove: string[]) => Promise<void>,
): ChallengeSolver => ({
  type: "http-01",
  place: (list) =>
    send(
      list.map(({ token, keyAuthorization }) => ({ token, keyAuthorization })),
      [],
    ),
  remove: (list) =>
    send(
      [],
      list.map((a) => a.token),
    ),
});

/** A failure the order cannot get past by itself: the message says what to fix. */
export class OrderFailure extends Error {}

/** newOrder, naming the certificate it replaces when there is one (acme-client passes it on). */
async function newOrder(
  client: acme.Client,
  names: string[],
  replaces: string | null,
  log: (line: string) => void,
) {
  const identifiers = names.map((value) => ({ type: "dns", value }));
  if (!replaces) return client.createOrder({ identifiers });
  try {
    const order = await client.createOrder({ identifiers, replaces } as Parameters<
      acme.Client["createOrder"]
    >[0]);
    log(`ordered as the replacement of ${replaces}`);
    return order;
  } catch (err) {
    log(
      `the CA refused the order as the replacement of ${replaces} (${err instanceof Error ? err.message : String(err)}): ordering it as a new one`,
    );
    return client.createOrder({ identifiers });
  }
}

export async function orderCertificate(
  client: acme.Client,
  names: string[],
  csr: string,
  solver: ChallengeSolver,
  log: (line: string) => void,
  /** the ARI certID of the certificate this order replaces (a renewal at a CA with ARI) */
  replaces: string | null = null,
): Promise<string> {
  const order = await newOrder(client, names, replaces, log);
  const authorizations = await client.getAuthorizations(order);
  const pending: {
    challenge: acme.Authorization["challenges"][number];
    key: string;
    name: string;
  }[] = [];
  for (const authz of authorizations) {
    if (authz.status === "valid") continue;
    const challenge = authz.challenges.find((c) => c.type === solver.type);
    if (!challenge)
      throw new OrderFailure(
        `the CA offers no ${solver.type} challenge for ${authz.identifier.value}${solver.type === "http-01" ? " (a wildcard needs dns-01)" : ""}`,
      );
    pending.push({
      challenge,
      key: await client.getChallengeKeyAuthorization(challenge),
      name: authz.identifier.value,
    });
  }
  const answers = pending.map((p) => ({
    name: p.name,
    token: p.challenge.token,
    keyAuthorization: p.key,
  }));
  if (pending.length) {
    log(`answering ${pending.length} ${solver.type} challenge(s)`);
    try {
      await solver.place(answers);
      await Promise.all(
        pending.map(async (p) => {
          await client.completeChallenge(p.challenge);
          await client.waitForValidStatus(p.challenge);
        }),
      ).catch(async (err) => {
        throw new OrderFailure(await whyInvalid(client, order, solver.type, err));
      });
    } finally {
      await solver.remove(answers);
    }
  }
  log("the CA validated every name: finalizing the order");
  const finalized = await client.finalizeOrder(order, csr);
  return client.getCertificate(finalized);
}

/** The reasons of the challenges the CA marked invalid, one per name. */
async function whyInvalid(
  client: acme.Client,
  order: acme.Order,
  type: ChallengeSolver["type"],
  err: unknown,
): Promise<string> {
  const authorizations = await client.getAuthorizations(order).catch(() => []);
  const reasons: string[] = [];
  for (const authz of authorizations)
    for (const c of authz.challenges)
      if (c.type === type && (c.status === "invalid" || authz.status === "invalid"))
        reasons.push(
          await explainChallenge(
            authz.identifier.value,
            (c as { error?: AcmeProblem }).error ?? {},
            type,
          ),
        );
  return reasons.length
    ? reasons.join("; ")
    : `validation failed: ${err instanceof Error ? err.message : String(err)}`;
}
