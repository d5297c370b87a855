// FTPS with the certificates capability end to end (issue 19): the panel with its worker and
// an enrolled agent whose nginx and pure-ftpd are hermetic (testkit; pure-ftpd restarted as
// systemd would). An installation admin names a site's certificate for the node's FTPS: an
// explicit FTPS handshake (basic-ftp) shows it; a new certificate installed for the site (an
// upload goes through the same install as an ACME renewal: certificates/serve.ts) is
// installed into pure-ftpd again by itself and the handshake shows the new serial. A site on
// another node, an account admin and a missing node are refused, changing nothing.
import type { TLSSocket } from "node:tls";
import { startHostingFtp, startNginx } from "@steward/testkit";
import { Client } from "basic-ftp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrollRealNode, type RealNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { siteWithCertificates } from "../../testing/site-certificate.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const nginx = await startNginx({ listen: "127.0.0.23" });
const ftp = nginx ? await startHostingFtp() : null;

/** The serial the FTP port serves after AUTH TLS (explicit FTPS). */
async function servedSerial(port: number) {
  const client = new Client(5_000);
  try {
    await client.connect("127.0.0.1", port);
    await client.useTLS({ rejectUnauthorized: false });
    return (client.ftp.socket as TLSSocket).getPeerCertificate().serialNumber.toUpperCase();
  } finally {
    client.close();
  }
}

describe.skipIf(!nginx || !ftp)("FTPS's certificate, installed and renewed", () => {
  const f = ftp as NonNullable<typeof ftp>;
  const s = useServer("sqlite");
  const w = useWorld(s);
  let node: RealNode | null = null;
  const api = (method: string, url: string, body?: unknown, key = w.keys.super) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  const settled = async (taskId: string) => {
    const task = await settleTask(s, taskId, 60_000);
    expect(task.state, await taskLogText(s, taskId)).toBe("succeeded");
  };

  beforeAll(async () => {
    s.svc.engine.startWorker();
    node = await enrollRealNode(s, w.keys.super, {
      name: "ftps-node",
      nginx: nginx as NonNullable<typeof nginx>,
      agentJson: {
        hosting: {
          ftp: {
            purePw: f.purePw,
            passwdFile: f.passwdFile,
            pdbFile: f.pdbFile,
            certFile: f.certFile,
            restart: f.restart,
            port: f.port,
          },
        },
      },
    });
  }, 120_000);
  afterAll(async () => {
    await node?.close();
    await Promise.all([nginx?.stop(), f.stop()]);
  });

  it("serves the site's certificate over FTPS, and again after it is renewed", async () => {
    const HOST = "files.ftps-example.test";
    const { site, upload } = await siteWithCertificates(s, w.keys.super, {
      node: node?.id as string,
      account: w.a,
      host: HOST,
    });
    const first = await upload();
    const url = `/api/v1/nodes/${node?.id}/ftp-certificate`;
    expect((await api("GET", url)).body).toMatchObject({ site: null, serial: null });
    // an account admin may not choose what every tenant's FTP users see
    const byAdmin = await api("PUT", url, { site }, w.keys.accountAdmin);
    expect(byAdmin.status).toBe(403);
    const named = await api("PUT", url, { site });
    expect(named.status, JSON.stringify(named.body)).toBe(200);
    expect(named.body.site).toBe(site);
    await settled(named.body.taskId);
    expect((await api("GET", url)).body).toMatchObject({ site, serial: first, lastError: null });
    expect(await servedSerial(f.port)).toBe(first);

    // the renewal: the certificates capability installs a new one for the site; FTPS follows
    const second = await upload();
    expect(second).not.toBe(first);
    const after = await api("GET", url);
    expect(after.body.taskId).not.toBe(named.body.taskId);
    await settled(after.body.taskId);
    expect(await servedSerial(f.port)).toBe(second);
    expect((await api("GET", url)).body.serial).toBe(second);

    // a site that is not on this node is refused naming the field; nothing changes
    const foreign = await api("PUT", url, { site: "site_missing" });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.message).toMatch(/^body\.site: /);
    expect((await api("GET", url)).body).toMatchObject({ site, serial: second });
    expect(await servedSerial(f.port)).toBe(second);
    expect((await api("GET", "/api/v1/nodes/node_missing/ftp-certificate")).status).toBe(404);

    // the site deleted: the node names no site any longer (pure-ftpd keeps the file it has)
    const deleted = await api("DELETE", `/api/v1/sites/${site}`);
    expect(deleted.status).toBe(202);
    await settled(deleted.body.taskId);
    expect((await api("GET", url)).body).toMatchObject({ site: null, serial: null });
    expect(await servedSerial(f.port)).toBe(second);
  });
});
