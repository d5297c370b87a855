// TLS: a handshake with the checked address (the name sent for SNI and verified), then the
// certificate's expiry and chain: expired or, when asked, not verifying is "down"; expiring
// within the warning days is "degraded".
import { checkServerIdentity, connect, type PeerCertificate } from "node:tls";
import type { MonitorOf } from "@steward/contracts/monitors";
import { parseIp } from "@steward/contracts/net";
import { atAddress } from "./tcp.ts";
import { down, type ProbeDeps, type ProbeResult, reason, since } from "./types.ts";

const DAY = 86_400_000;

export const probeTls = (s: MonitorOf<"tls">, timeoutMs: number, deps: ProbeDeps) =>
  atAddress({ field: "host", ...s }, deps, (address) => handshake(s, address, timeoutMs, deps));

async function handshake(
  s: MonitorOf<"tls">,
  address: string,
  timeoutMs: number,
  deps: ProbeDeps,
): Promise<ProbeResult> {
  const started = performance.now();
  const answer = await new Promise<
    { cert: PeerCertificate; verifyError: string | null; ms: number } | { error: string }
  >((resolve) => {
    const socket = connect({
      host: address,
      port: s.port,
      servername: parseIp(s.host) ? undefined : s.host,
      ca: deps.ca ? [deps.ca] : undefined,
      rejectUnauthorized: false,
      timeout: timeoutMs,
      // the name checked against the certificate: the host as written, not the address
      checkServerIdentity: (_host, cert) => checkServerIdentity(s.host, cert),
    });
    const end = (value: Parameters<typeof resolve>[0]) => {
      socket.destroy();
      resolve(value);
    };
    socket.once("secureConnect", () => {
      const error = socket.authorizationError;
      end({
        cert: socket.getPeerCertificate(),
        verifyError: socket.authorized ? null : String(error ?? "does not verify"),
        ms: since(started),
      });
    });
    socket.once("timeout", () => end({ error: `no handshake within ${timeoutMs} ms` }));
    socket.once("error", (error) => end({ error: reason(error) }));
  });
  if ("error" in answer) return down(answer.error);
  return judge(s, answer.cert, answer.verifyError, answer.ms, deps.now?.() ?? Date.now());
}

function judge(
  s: MonitorOf<"tls">,
  cert: PeerCertificate,
  verifyError: string | null,
  ms: number,
  now: number,
): ProbeResult {
  const expires = Date.parse(cert.valid_to);
  const until = Number.isNaN(expires) ? "an unknown date" : new Date(expires).toISOString();
  if (Number.isNaN(expires) || expires <= now)
    return down(`the certificate expired on ${until}`, ms);
  if (s.checkChain && verifyError)
    return down(`the certificate does not verify: ${verifyError}`, ms);
  const daysLeft = Math.floor((expires - now) / DAY);
  if (daysLeft < s.warnDays)
    return {
      outcome: "degraded",
      responseMs: ms,
      message: `the certificate expires in ${daysLeft} day(s), on ${until}`,
    };
  return { outcome: "up", responseMs: ms, message: `valid until ${until} (${daysLeft} days)` };
}
