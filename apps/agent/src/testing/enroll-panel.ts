// A stand-in for the panel's enrollment endpoint, for the tests of `steward agent enroll`
// (the real panel's side is tested with the panel): its own CA and panel identity, and an
// HTTP server that records each request and answers it as `answer` says, by default as the
// panel does (a certificate for the request's key when the token is ENROLL_TOKEN).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { EnrollResponse } from "@steward/contracts/agent";
import { issue, readCsr } from "@steward/pki";
import { type Identity, issueIdentity, makeCa } from "./pki.ts";

export const ENROLL_TOKEN = "enroll_0123456789abcdefghij";

type EnrollBody = { csr: string; token: string };

export interface EnrollPanel {
  url: string;
  ca: Awaited<ReturnType<typeof makeCa>>;
  panelId: Identity;
  /** the requests received, in order */
  received: { method?: string; url?: string; type?: string; body: unknown }[];
  /** what the panel does with the next request (`reset()` brings back the panel's way) */
  answer: (body: EnrollBody) => Promise<[status: number, body: unknown]>;
  /** the panel's answer to a good request: a certificate for the request's key */
  accept(body: EnrollBody): Promise<EnrollResponse>;
  reset(): void;
  close(): Promise<void>;
}

export async function startEnrollPanel(nodeId: string): Promise<EnrollPanel> {
  const ca = await makeCa();
  const panelId = await issueIdentity(ca, "steward-panel", "client");
  const accept = async (body: EnrollBody): Promise<EnrollResponse> => ({
    nodeId,
    certificate: await issue({
      caCertificate: ca.ca,
      caKey: ca.caKey,
      commonName: nodeId,
      publicKey: (await readCsr(body.csr)).publicKey,
      hosts: ["127.0.0.1"],
      usage: "server-and-client",
    }),
    caCertificate: ca.ca,
    panelCertificate: panelId.cert,
  });
  const asThePanel: EnrollPanel["answer"] = async (body) =>
    body.token === ENROLL_TOKEN
      ? [200, await accept(body)]
      : [401, { error: { code: "UNAUTHORIZED", message: "unknown or used token" } }];
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk) => {
      text += chunk;
    });
    req.on("end", async () => {
      const body = JSON.parse(text);
      panel.received.push({
        method: req.method,
        url: req.url,
        type: req.headers["content-type"],
        body,
      });
      const [status, json] = await panel.answer(body);
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const panel: EnrollPanel = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ca,
    panelId,
    received: [],
    answer: asThePanel,
    accept,
    reset() {
      panel.received = [];
      panel.answer = asThePanel;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return panel;
}
