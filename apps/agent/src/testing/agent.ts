// Starts a real agent on 127.0.0.1 (random port) in a temp directory, with a test PKI, and
// talks to it over mTLS like the panel does.

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino, { type Logger } from "pino";
import { type AgentJson, parseConfig } from "../config.ts";
import { type AgentServer, startAgent } from "../server.ts";
import { type Identity, makeTestPki, mintToken, type TestPki } from "./pki.ts";

export const NODE_ID = "node_test1";

export interface TestAgent {
  dir: string;
  pki: TestPki;
  agent: AgentServer;
  url: string;
  /** JSON log lines the agent wrote */
  logs: Record<string, unknown>[];
  call(path: string, o?: CallOptions): Promise<Reply>;
  token(sub: string, extra?: { aud?: string; expiresIn?: number; jti?: string }): Promise<string>;
  stop(): Promise<void>;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** a body sent as is (application/json), instead of `body` as JSON */
  raw?: string;
  /** the Authorization header's token; default: a fresh valid token for `sub` */
  token?: string | null;
  sub?: string;
  /** client identity; default the panel's; null for none */
  client?: Identity | null;
  requestId?: string;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): unknown;
  /** the NDJSON lines of an operation's stream */
  lines(): { type: string; [k: string]: unknown }[];
  /** the certificate the server presented */
  serverCertFingerprint: string;
}

export async function startTestAgent(extra: Partial<AgentJson> = {}): Promise<TestAgent> {
  const dir = await mkdtemp(join(tmpdir(), "steward-agent-"));
  const pki = await makeTestPki(NODE_ID);
  await writeFile(join(dir, "agent.key"), pki.agent.key, { mode: 0o600 });
  await writeFile(join(dir, "agent.crt"), pki.agent.cert);
  await writeFile(join(dir, "ca.crt"), pki.ca);
  await writeFile(join(dir, "panel.crt"), pki.panel.cert);
  const config = parseConfig(dir, {
    nodeId: NODE_ID,
    panelUrl: "http://127.0.0.1:1",
    listen: { host: "127.0.0.1", port: 0 },
    systemd: false,
    ...extra,
  });
  const logs: Record<string, unknown>[] = [];
  const logger: Logger = pino(
    { level: "debug" },
    { write: (line: string) => void logs.push(JSON.parse(line)) },
  );
  const agent = await startAgent(config, { logger });
  const url = `https://127.0.0.1:${agent.port}`;
  const token: TestAgent["token"] = (sub, e = {}) =>
    mintToken(pki.panel.key, { aud: e.aud ?? NODE_ID, sub, ...e });
  const call: TestAgent["call"] = async (path, o = {}) => {
    const tok = o.token === undefined ? await token(o.sub ?? subjectOf(path)) : o.token;
    return send(url + path, pki.ca, o.client === undefined ? pki.panel : o.client, tok, o);
  };
  return {
    dir,
    pki,
    agent,
    url,
    logs,
    call,
    token,
    async stop() {
      await agent.close(1000);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function subjectOf(path: string) {
  if (path.startsWith("/v1/ops/")) return `op:${path.slice(8)}`;
  if (path.startsWith("/v1/cert/")) return "cert";
  if (path === "/v1/facts") return "facts";
  return "health";
}

export function send(
  url: string,
  ca: string,
  client: Identity | null,
  token: string | null,
  o: CallOptions = {},
): Promise<Reply> {
  const body = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: o.method ?? (body ? "POST" : "GET"),
        ca,
        ...(client ? { cert: client.cert, key: client.key } : {}),
        agent: false,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body ? { "content-type": "application/json" } : {}),
          ...(o.requestId ? { "x-request-id": o.requestId } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        const peer = (res.socket as import("node:tls").TLSSocket).getPeerCertificate();
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text),
            lines: () =>
              text
                .split("\n")
                .filter(Boolean)
                .map((l) => JSON.parse(l)),
            serverCertFingerprint: peer.fingerprint256.replaceAll(":", "").toLowerCase(),
          });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
