// A minimal agent for the panel's tests: a node:https server that requires the panel's client
// certificate (mutual TLS, chained to the installation's CA), checks every request token with
// jose (issuer, audience = its node id, subject = the endpoint, single-use jti, expiry) and
// answers the protocol's endpoints. It enrolls through the panel's real enrollment service.
// The real agent (apps/agent) is tested against the panel in the lead's integration test.
import type { IncomingMessage, ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { agent } from "@steward/contracts";
import { createCsr, generateKey, type KeyPem } from "@steward/pki";
import { importX509, jwtVerify } from "jose";
import type { Ctx } from "../access/types.ts";
import type { Services } from "../services.ts";

export interface Seen {
  method: string;
  path: string;
  sub: string;
  requestId: string | undefined;
  body: unknown;
}

/** Writes one NDJSON line of a streamed operation answer. */
export type Send = (line: agent.OpStreamLine) => void;
export type OpHandler = (input: unknown, send: Send, req: IncomingMessage) => Promise<void>;

export interface FakeAgent {
  url: string;
  nodeId: string;
  /** requests that passed TLS and the token check */
  seen: Seen[];
  /** TLS connections accepted (before any request) */
  connections: number;
  /** operation handlers by name; the default answers system.ping */
  ops: Record<string, OpHandler>;
  /** replaces the answer to GET /v1/health (status and body) */
  health: (() => { status: number; body: unknown }) | null;
  /** answer of POST /v1/cert/install, to make it fail */
  installStatus: number;
  /** trusts client certificates of another CA (as an agent enrolled with another panel) */
  trustClientsOf(caPem: string): void;
  stop(): Promise<void>;
  /** listens again on the same port */
  start(): Promise<void>;
}

const facts: agent.Facts = {
  hostname: "fake",
  os: { id: "debian", name: "Debian GNU/Linux", version: "13", kernel: "6.12.0" },
  arch: "x64",
  cpus: 2,
  memory: { totalBytes: 4e9, availableBytes: 2e9 },
  disks: [{ mount: "/", totalBytes: 5e10, availableBytes: 2e10 }],
  services: [{ name: "nginx", installed: true, version: "1.26", running: true }],
  systemd: true,
  collectedAt: new Date(0).toISOString(),
};

const ping: OpHandler = async (input, send) => {
  send({ type: "log", at: new Date().toISOString(), level: "info", message: "pinging" });
  send({
    type: "result",
    result: {
      status: "ok",
      changed: false,
      steps: [],
      output: { at: new Date().toISOString(), ...(input as object) },
    },
  });
};

/** Creates a node, starts the fake agent and enrolls it through svc.nodes. */
export async function startFakeAgent(
  svc: Services,
  ctx: Ctx,
  name: string,
  opts: { local?: boolean } = {},
): Promise<FakeAgent> {
  let key: KeyPem = await generateKey();
  let pending: KeyPem | null = null;
  let panelKey: CryptoKey | null = null;
  let ca = "";
  const jtis = new Set<string>();
  const server = https.createServer({ requestCert: true, rejectUnauthorized: true });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;
  const node = await svc.nodes.create(ctx, { name, agentUrl: url, local: opts.local });
  const { token } = await svc.nodes.enrollmentToken(ctx, node.id);
  const enrolled = await svc.nodes.enroll(
    { actor: null, grants: [], ip: "127.0.0.1", requestId: "fake-agent" },
    { token, csr: await createCsr("agent", key), agentUrl: url },
  );
  ca = enrolled.caCertificate;
  panelKey = await importX509(enrolled.panelCertificate, "ES256");
  let current = enrolled.certificate;
  server.setSecureContext({ key: key.privateKey, cert: current, ca });

  const fake: FakeAgent = {
    url,
    nodeId: node.id,
    seen: [],
    connections: 0,
    ops: { "system.ping": ping },
    health: null,
    installStatus: 200,
    trustClientsOf(other) {
      server.setSecureContext({ key: key.privateKey, cert: current, ca: other });
    },
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
    start: () => new Promise<void>((r) => server.listen(port, "127.0.0.1", r)),
  };
  server.on("secureConnection", () => fake.connections++);

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const refuse = (res: ServerResponse, status: number, message: string) =>
    json(res, status, { error: { code: "REFUSED", message } });

  async function verify(req: IncomingMessage, sub: string): Promise<string | null> {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    if (peer.subject?.CN !== "steward-panel") return "the client is not the panel";
    const auth = req.headers.authorization ?? "";
    if (!auth.startsWith("Bearer ") || !panelKey) return "no request token";
    try {
      const { payload } = await jwtVerify(auth.slice(7), panelKey, {
        issuer: agent.TOKEN_ISSUER,
        audience: node.id,
        subject: sub,
        maxTokenAge: agent.TOKEN_MAX_SECONDS,
      });
      if (!payload.jti || jtis.has(payload.jti)) return "the token was used before";
      jtis.add(payload.jti);
      return null;
    } catch (e) {
      return `bad request token: ${(e as Error).message}`;
    }
  }

  server.on("request", async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const body = text ? JSON.parse(text) : undefined;
    const path = req.url ?? "";
    const op = /^\/v1\/ops\/([a-z.-]+)$/.exec(path)?.[1];
    const sub = op
      ? `op:${op}`
      : path === "/v1/health"
        ? "health"
        : path === "/v1/facts"
          ? "facts"
          : "cert";
    const refused = await verify(req, sub);
    if (refused) return refuse(res, 401, refused);
    const requestId = req.headers["x-request-id"] as string | undefined;
    fake.seen.push({ method: req.method ?? "", path, sub, requestId, body });
    if (path === "/v1/health") {
      const h = fake.health?.() ?? {
        status: 200,
        body: {
          ok: true,
          version: "test",
          uptimeSeconds: 1,
          nodeId: node.id,
          certificateExpiresIn: 1,
          load: {
            load: [0.5, 0.25, 0.1],
            cpus: 2,
            cpuPercent: 12.5,
            memory: { totalBytes: 4096, availableBytes: 1024 },
            disk: { totalBytes: 1000, availableBytes: 600 },
          },
        },
      };
      return json(res, h.status, h.body);
    }
    if (path === "/v1/facts") return json(res, 200, facts);
    if (path === "/v1/cert/csr") {
      pending = await generateKey();
      return json(res, 200, { csr: await createCsr("agent", pending) });
    }
    if (path === "/v1/cert/install") {
      if (fake.installStatus !== 200 || !pending)
        return refuse(res, fake.installStatus, "cannot install");
      key = pending;
      current = body.certificate;
      server.setSecureContext({ key: key.privateKey, cert: current, ca });
      return json(res, 200, { ok: true });
    }
    const handler = op ? fake.ops[op] : undefined;
    if (!handler) return refuse(res, 404, `unknown operation ${op}`);
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    await handler(body.input, (line) => res.write(`${JSON.stringify(line)}\n`), req);
    res.end();
  });
  return fake;
}
