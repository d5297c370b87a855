// Why an order failed, in words a person can act on: the CA's problem type (RFC 8555 section
// 6.7) of each failed challenge, with the name, what the panel's resolver says the name
// points to, and the CA's own detail.
import { lookup } from "node:dns/promises";

export interface AcmeProblem {
  type?: string;
  detail?: string;
}

const PREFIX = "urn:ietf:params:acme:error:";

/** The addresses a name resolves to here ("" when it does not, or too slowly). */
export async function resolvesTo(name: string): Promise<string> {
  const timeout = new Promise<null>((r) => setTimeout(() => r(null), 3000).unref());
  const found = await Promise.race([lookup(name, { all: true }).catch(() => null), timeout]);
  return found?.length ? found.map((a) => a.address).join(", ") : "";
}

/** One failed name's reason. */
export async function explainChallenge(
  name: string,
  problem: AcmeProblem,
  challenge: "http-01" | "dns-01" = "http-01",
): Promise<string> {
  const type = (problem.type ?? "").replace(PREFIX, "");
  const detail = problem.detail ? ` (the CA said: ${problem.detail})` : "";
  if (challenge === "dns-01")
    return `the CA did not find the TXT record _acme-challenge.${name} it asked for${detail}: check that the DNS provider's zone is the one the world sees for ${name} (its NS records)`;
  const here = await resolvesTo(name);
  const points = here ? `; ${name} resolves to ${here} from the panel` : "";
  switch (type) {
    case "connection":
    case "incorrectResponse":
      return `port 80 of ${name} could not be reached by the CA${detail}: check that DNS points ${name} at this node${points} and that port 80 is open to the internet`;
    case "unauthorized":
      return `the CA reached ${name} but did not get this node's answer${detail}: DNS for ${name} points to another server${points}, or a proxy in front of it does not pass /.well-known/acme-challenge/ through`;
    case "dns":
      return `the CA could not resolve ${name}${detail}: add an A or AAAA record pointing ${name} at this node`;
    case "caa":
      return `a CAA record of ${name} forbids this CA to issue for it${detail}: add the CA to the CAA record, or remove the record`;
    case "rejectedIdentifier":
      return `the CA refuses to issue for ${name}${detail}: remove the name from the site, or use another CA`;
    default:
      return `validation of ${name} failed${detail}`;
  }
}

const RATE_LIMIT = /rate ?limit|too many (certificates|requests|new orders|failed)/i;

/** An error of an ACME request (not a challenge): a rate limit says until when it holds. */
export function explainRequest(err: unknown, retryAt: number): string {
  const message = err instanceof Error ? err.message : String(err);
  if (RATE_LIMIT.test(message))
    return `the CA rate-limits these names for now (the CA said: ${message}): Steward tries again after ${new Date(retryAt).toISOString()}`;
  return `the ACME request failed: ${message}`;
}
