// DNS: one query of the record type to the monitor's resolver (an address the policy allows),
// "up" when it answers, and when an expected value is set, when one of the answers is it.
import { Resolver } from "node:dns/promises";
import { type MonitorOf, resolverAddress } from "@steward/contracts/monitors";
import { atAddress } from "./tcp.ts";
import { down, type ProbeDeps, type ProbeResult, reason, since } from "./types.ts";

/** The answers of one query as text: addresses, names (no trailing dot), TXT strings. */
async function query(resolver: Resolver, s: MonitorOf<"dns">): Promise<string[]> {
  const name = s.name.replace(/\.$/, "");
  switch (s.recordType) {
    case "A":
      return resolver.resolve4(name);
    case "AAAA":
      return resolver.resolve6(name);
    case "CNAME":
      return resolver.resolveCname(name);
    case "NS":
      return resolver.resolveNs(name);
    case "MX":
      return (await resolver.resolveMx(name)).map((mx) => `${mx.priority} ${mx.exchange}`);
    case "TXT":
      return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(""));
  }
}

const normal = (value: string) => value.trim().toLowerCase().replace(/\.$/, "");

export async function probeDns(
  s: MonitorOf<"dns">,
  timeoutMs: number,
  deps: ProbeDeps,
): Promise<ProbeResult> {
  const { host, port } = resolverAddress(s.resolver);
  return atAddress({ field: "resolver", host, port }, deps, (address) =>
    ask(s, address, port, timeoutMs),
  );
}

async function ask(
  s: MonitorOf<"dns">,
  address: string,
  port: number,
  timeoutMs: number,
): Promise<ProbeResult> {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  resolver.setServers([address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`]);
  const started = performance.now();
  let answers: string[];
  try {
    answers = await query(resolver, s);
  } catch (error) {
    const code = (error as { code?: string }).code;
    return down(`${s.name} ${s.recordType}: ${code ?? reason(error)}`);
  } finally {
    resolver.cancel();
  }
  const ms = since(started);
  const said = answers.slice(0, 10).join(", ");
  if (s.expected !== undefined && !answers.some((a) => normal(a) === normal(s.expected ?? "")))
    return down(`${s.name} ${s.recordType} is ${said || "empty"}, expected ${s.expected}`, ms);
  return { outcome: "up", responseMs: ms, message: `${s.name} ${s.recordType} is ${said}` };
}
