// The certificate a TLS server serves for a name (tests): a handshake with the name as SNI,
// the served leaf's serial (upper-case hex, as the panel stores it) and whether `ca` vouches
// for the chain. Nothing is sent after the handshake.
import { connect } from "node:tls";

export interface Served {
  serial: string;
  authorized: boolean;
}

export function servedCertificate(o: {
  host: string;
  port: number;
  servername: string;
  ca?: string;
}): Promise<Served> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: o.host,
      port: o.port,
      servername: o.servername,
      rejectUnauthorized: false,
      ...(o.ca ? { ca: o.ca } : {}),
    });
    socket.once("secureConnect", () => {
      const serial = socket.getPeerCertificate().serialNumber.toUpperCase();
      resolve({ serial, authorized: socket.authorized });
      socket.end();
    });
    socket.once("error", reject);
  });
}
