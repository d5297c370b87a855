// One ACME order by http-01: the CA's challenges are answered by files the node's nginx
// serves (cert.challenge), placed before the CA is told to validate and removed afterwards
// whatever happened; then the order is finalized with the node's CSR and the chain fetched.
import type acme from "acme-client";
import { type AcmeProblem, explainChallenge } from "./failures.ts";

export interface ChallengeFiles {
  place(list: { token: string; keyAuthorization: string }[]): Promise<void>;
  remove(tokens: string[]): Promise<void>;
}

/** A failure the order cannot get past by itself: the message says what to fix. */
export class OrderFailure extends Error {}

export async function orderCertificate(
  client: acme.Client,
  names: string[],
  csr: string,
  files: ChallengeFiles,
  log: (line: string) => void,
): Promise<string> {
  const order = await client.createOrder({
    identifiers: names.map((value) => ({ type: "dns", value })),
  });
  const authorizations = await client.getAuthorizations(order);
  const pending: { challenge: acme.Authorization["challenges"][number]; key: string }[] = [];
  for (const authz of authorizations) {
    if (authz.status === "valid") continue;
    const challenge = authz.challenges.find((c) => c.type === "http-01");
    if (!challenge)
      throw new OrderFailure(
        `the CA offers no http-01 challenge for ${authz.identifier.value} (a wildcard needs dns-01)`,
      );
    pending.push({ challenge, key: await client.getChallengeKeyAuthorization(challenge) });
  }
  const tokens = pending.map((p) => p.challenge.token);
  if (pending.length) {
    await files.place(pending.map((p) => ({ token: p.challenge.token, keyAuthorization: p.key })));
    log(`answering ${pending.length} http-01 challenge(s) on the node`);
    try {
      await Promise.all(
        pending.map(async (p) => {
          await client.completeChallenge(p.challenge);
          await client.waitForValidStatus(p.challenge);
        }),
      );
    } catch (err) {
      throw new OrderFailure(await whyInvalid(client, order, err));
    } finally {
      await files.remove(tokens);
    }
  }
  log("the CA validated every name: finalizing the order");
  const finalized = await client.finalizeOrder(order, csr);
  return client.getCertificate(finalized);
}

/** The reasons of the challenges the CA marked invalid, one per name. */
async function whyInvalid(client: acme.Client, order: acme.Order, err: unknown): Promise<string> {
  const authorizations = await client.getAuthorizations(order).catch(() => []);
  const reasons: string[] = [];
  for (const authz of authorizations)
    for (const c of authz.challenges)
      if (c.type === "http-01" && (c.status === "invalid" || authz.status === "invalid"))
        reasons.push(
          await explainChallenge(
            authz.identifier.value,
            (c as { error?: AcmeProblem }).error ?? {},
          ),
        );
  return reasons.length
    ? reasons.join("; ")
    : `validation failed: ${err instanceof Error ? err.message : String(err)}`;
}
