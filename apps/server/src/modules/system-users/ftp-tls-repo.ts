// SQL of the nodes' FTPS certificates (`ftp_certificates`, migration 077): one row per node
// naming the site whose certificate pure-ftpd serves; read by node (the API, the task) and by
// site (a renewal of that site's certificate installs it again).
import type { Kysely, Selectable } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { FtpCertificateTable } from "../../db/schema-ftp.ts";

export type FtpCertificateRow = Selectable<FtpCertificateTable>;

export const ftpCertificateOf = (db: Kysely<Database>, nodeId: string) =>
  db.selectFrom("ftp_certificates").selectAll().where("node_id", "=", nodeId).executeTakeFirst();

/** The nodes whose pure-ftpd serves this site's certificate. */
export const nodesServing = (db: Kysely<Database>, siteId: string) =>
  db.selectFrom("ftp_certificates").selectAll().where("site_id", "=", siteId).execute();

export async function chooseFtpCertificate(
  db: Kysely<Database>,
  nodeId: string,
  siteId: string | null,
) {
  if (siteId === null) {
    await db.deleteFrom("ftp_certificates").where("node_id", "=", nodeId).execute();
    return;
  }
  const now = Date.now();
  await db
    .insertInto("ftp_certificates")
    .values({ node_id: nodeId, site_id: siteId, updated_at: now })
    .onConflict((c) =>
      c.column("node_id").doUpdateSet({ site_id: siteId, last_error: null, updated_at: now }),
    )
    .execute();
}

export async function updateFtpCertificate(
  db: Kysely<Database>,
  nodeId: string,
  patch: { serial?: string | null; task_id?: string | null; last_error?: string | null },
) {
  await db
    .updateTable("ftp_certificates")
    .set({ ...patch, updated_at: Date.now() })
    .where("node_id", "=", nodeId)
    .execute();
}

/** A site is gone: no node names it any longer (their pure-ftpd keeps the file it has). */
export const forgetSite = (db: Kysely<Database>, siteId: string) =>
  db.deleteFrom("ftp_certificates").where("site_id", "=", siteId).execute();
