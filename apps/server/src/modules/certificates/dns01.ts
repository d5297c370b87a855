// The dns-01 challenge (RFC 8555 section 8.4): a TXT record `_acme-challenge.<name>` holding
// the key authorization's digest, published through a DNS provider the certificate's account
// keeps (Cloudflare first: modules/dns-providers; Steward's own zones once they land), and
// waited for until it is visible before the CA is told to look.
import { Resolver } from "node:dns/promises";
import { type ChallengeAnswer, type ChallengeSolver, OrderFailure } from "./order.ts";

/** A place dns-01 TXT records can be published: one provider of an account. */
export interface Dns01Provider {
  /** what it is, in logs and messages ("cloudflare provider main") */
  label: string;
  /** whether it can publish records at `fqdn` (a zone it reaches holds the name) */
  covers(fqdn: string): Promise<boolean>;
  present(fqdn: string, value: string): Promise<void>;
  cleanup(fqdn: string, value: string): Promise<void>;
}

/** The dns-01 providers of an account. */
export type Dns01Providers = (accountId: string) => Promise<Dns01Provider[]>;

/** The providers of several sources, in order (Steward's own zones before external ones). */
export const dns01Sources =
  (...sources: Dns01Providers[]): Dns01Providers =>
  async (accountId) =>
    (await Promise.all(sources.map((source) => source(accountId)))).flat();

/** The record name of a name's dns-01 answer (a wildcard's is its base name's). */
export const challengeName = (name: string) => `_acme-challenge.${name.replace(/^\*\./, "")}`;

/** The first provider that covers every name's challenge record, or null. */
export async function providerFor(
  providers: readonly Dns01Provider[],
  names: readonly string[],
): Promise<Dns01Provider | null> {
  for (const provider of providers) {
    const all = await Promise.all(names.map((n) => provider.covers(challengeName(n))));
    if (all.every(Boolean)) return provider;
  }
  return null;
}

/**
 * Waits until `fqdn` answers a TXT record holding every value in `values`, asking `servers`
 * (`host:port` or addresses; the system's resolvers when empty); throws after `timeoutMs`.
 */
export async function waitForTxt(
  fqdn: string,
  values: readonly string[],
  servers: readonly string[],
  timeoutMs = 120_000,
): Promise<void> {
  const resolver = new Resolver({ timeout: 2000, tries: 1 });
  if (servers.length) resolver.setServers([...servers]);
  const deadline = Date.now() + timeoutMs;
  let pause = 250;
  for (;;) {
    const seen = await resolver.resolveTxt(fqdn).then(
      (rows) => rows.map((chunks) => chunks.join("")),
      () => [] as string[],
    );
    if (values.every((v) => seen.includes(v))) return;
    if (Date.now() > deadline)
      throw new Error(
        `the TXT record ${fqdn} was not visible within ${timeoutMs / 1000} s (seen: ${seen.join(", ") || "none"})`,
      );
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(pause * 2, 5000);
  }
}

/** The dns-01 solver of an order: TXT records through `provider`, waited for, then removed. */
export function dnsSolver(
  provider: Dns01Provider,
  servers: readonly string[],
  log: (line: string) => void,
): ChallengeSolver {
  const byName = (list: ChallengeAnswer[]) => {
    const out = new Map<string, string[]>();
    for (const a of list)
      out.set(challengeName(a.name), [
        ...(out.get(challengeName(a.name)) ?? []),
        a.keyAuthorization,
      ]);
    return out;
  };
  return {
    type: "dns-01",
    async place(list) {
      for (const [fqdn, values] of byName(list))
        for (const value of values)
          await provider.present(fqdn, value).catch((err: Error) => {
            throw new OrderFailure(`${provider.label} could not publish ${fqdn}: ${err.message}`);
          });
      for (const [fqdn, values] of byName(list))
        await waitForTxt(fqdn, values, servers).catch((err: Error) => {
          throw new OrderFailure(err.message);
        });
      log(`the TXT records are visible through ${provider.label}: the CA may look`);
    },
    async remove(list) {
      for (const [fqdn, values] of byName(list))
        for (const value of values)
          await provider.cleanup(fqdn, value).catch((err: Error) => {
            log(`${provider.label} could not remove ${fqdn}: ${err.message}`);
          });
    },
  };
}
