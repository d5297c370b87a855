// The ACME Renewal Information (RFC 9773, section 4.1) identifier of a certificate:
// base64url(the Authority Key Identifier's keyIdentifier) "." base64url(the serial number's
// DER content octets: the integer's bytes, a 0x00 first when the high bit is set), unpadded.
import * as x509 from "@peculiar/x509";

const b64url = (bytes: Buffer) => bytes.toString("base64url");

/** The DER content octets of a positive serial given in hex (as X.509 tools print it). */
export function serialOctets(serialHex: string): Buffer {
  const even = serialHex.length % 2 ? `0${serialHex}` : serialHex;
  let bytes = Buffer.from(even, "hex");
  while (bytes.length > 1 && bytes[0] === 0 && ((bytes[1] ?? 0) & 0x80) === 0)
    bytes = bytes.subarray(1);
  return (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

/** The certID of an AKI keyIdentifier and a serial, both hex. */
export const ariId = (keyIdHex: string, serialHex: string) =>
  `${b64url(Buffer.from(keyIdHex, "hex"))}.${b64url(serialOctets(serialHex))}`;

/** The certID of a PEM certificate (its first), or null when it has no AKI keyIdentifier. */
export function ariCertId(pem: string): string | null {
  const cert = new x509.X509Certificate(
    pem.trim().split(/(?<=-----END CERTIFICATE-----)/)[0] ?? "",
  );
  const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension);
  if (!aki?.keyId) return null;
  return ariId(aki.keyId, cert.serialNumber);
}
