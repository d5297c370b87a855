// FTPS with the certificates capability (issue 19, docs/hosting.md#ftps-certificate): the node's
// pure-ftpd serves the certificate of one site on that node (installed there by cert.install),
// chosen per node on the panel and installed again on every renewal of that certificate.
import { z } from "zod";
import { id } from "../validators.ts";

/** ftp.tls: write the site's certificate (key + chain) as pure-ftpd's PEM and restart it. */
export const ftpTlsInput = z.strictObject({ certificate: z.strictObject({ id }) });
export const ftpTlsOutput = z.object({
  /** the serial (upper-case hex) of the certificate written */
  serial: z.string(),
  /** the serial served after AUTH TLS on the node's FTP port (null: not verified, see notes) */
  served: z.string().nullable(),
  notes: z.array(z.string()),
});
export type FtpTlsOutput = z.infer<typeof ftpTlsOutput>;

/** PUT /api/v1/nodes/{id}/ftp-certificate: the site whose certificate FTPS serves, or none. */
export const ftpCertificateUpdate = z.strictObject({ site: id.nullable() });
export const ftpCertificate = z.object({
  node: z.string(),
  /** the site (on this node) whose certificate pure-ftpd serves; null: the node's own setup */
  site: z.string().nullable(),
  /** the serial installed by the last ftp.tls (null: none yet) */
  serial: z.string().nullable(),
  taskId: z.string().nullable(),
  /** why the last install failed (null: it did not) */
  lastError: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type FtpCertificate = z.infer<typeof ftpCertificate>;
