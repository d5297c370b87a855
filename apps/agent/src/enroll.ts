// `steward agent enroll`: make a key pair and a request, send it with the single-use token
// to the panel, and keep what it answers (the agent's certificate, the installation's CA,
// the panel's certificate) with agent.json in the agent's directory (0700, files 0600).
import { createPrivateKey, X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chmod } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { type EnrollResponse, enrollRequest, enrollResponse } from "@steward/contracts/agent";
import { type AgentJson, CONFIG_FILE, ConfigError, filePath, parseConfig } from "./config.ts";
import { panelFetch, panelPinPattern } from "./panel-fetch.ts";
import { atomicWrite, mkdirp } from "./system/files.ts";

export interface EnrollOptions {
  panel: string;
  token: string;
  dir: string;
  /** host:port the agent listens on (default 0.0.0.0:7443) */
  listen?: string;
  /** https://host:port where the panel reaches this agent */
  agentUrl?: string;
  force?: boolean;
  /** a panel with a self-signed certificate: its key's pin, sha256//<base64> (panel-fetch.ts) */
  panelPin?: string;
  /** tests: a fetch that trusts a test panel */
  fetch?: typeof fetch;
}

export class EnrollError extends Error {
  override name = "EnrollError";
}

export async function enroll(o: EnrollOptions) {
  const configPath = join(o.dir, CONFIG_FILE);
  const previous = existsSync(configPath) ? readPrevious(configPath) : null;
  if (previous && !o.force)
    throw new EnrollError(
      `${o.dir} is already enrolled as node ${String(previous.nodeId)}; use --force to enroll it again`,
    );
  const panelUrl = panelBase(o.panel);
  if (o.panelPin !== undefined && !panelPinPattern.test(o.panelPin))
    throw new EnrollError("--panel-pin must be sha256//<base64>, as the console shows it");
  if (o.panelPin !== undefined && !panelUrl.startsWith("https:"))
    throw new EnrollError("--panel-pin needs an https panel URL");
  const listen = o.listen ? parseListen(o.listen) : undefined;
  const { createCsr, generateKey } = await import("@steward/pki");
  const key = await generateKey();
  const body = enrollRequest.safeParse({
    token: o.token,
    csr: await createCsr("steward-agent", key),
    hostname: hostname(),
    ...(o.agentUrl ? { agentUrl: o.agentUrl } : {}),
  });
  if (!body.success) {
    const i = body.error.issues[0];
    throw new EnrollError(`--${String(i?.path[0] ?? "token")} ${i?.message ?? "is invalid"}`);
  }
  const f = o.panelPin ? panelFetch(o.panelPin) : (o.fetch ?? fetch);
  const answer = await post(f, `${panelUrl}/api/v1/agent/enroll`, body.data);
  check(answer, key.privateKey);

  await mkdirp(o.dir, { mode: 0o700 });
  await chmod(o.dir, 0o700);
  const json: AgentJson = {
    ...(previous ?? {}),
    nodeId: answer.nodeId,
    panelUrl,
    ...(o.panelPin ? { panelPin: o.panelPin } : {}),
    ...(listen ? { listen } : {}),
  };
  const config = parseConfig(o.dir, json); // validates before anything is written
  const write = (p: string, text: string) => atomicWrite(p, text, { mode: 0o600 });
  await write(filePath(config, "key"), key.privateKey);
  await write(filePath(config, "certificate"), answer.certificate);
  await write(filePath(config, "ca"), answer.caCertificate);
  await write(filePath(config, "panelCertificate"), answer.panelCertificate);
  await write(configPath, `${JSON.stringify(json, null, 2)}\n`); // last: it marks "enrolled"
  return { nodeId: answer.nodeId, dir: o.dir, listen: config.listen, panelUrl };
}

function readPrevious(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    throw new ConfigError(`${path} exists but is not valid JSON; move it away to enroll again`);
  }
}

function panelBase(panel: string): string {
  let u: URL;
  try {
    u = new URL(panel);
  } catch {
    throw new EnrollError(`--panel must be the panel's URL, like https://panel.example.com`);
  }
  if (u.protocol !== "https:" && u.protocol !== "http:")
    throw new EnrollError("--panel must be an http(s) URL");
  return `${u.origin}${u.pathname.replace(/\/+$/, "")}`;
}

export function parseListen(s: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(s);
  const port = Number(m?.[3]);
  if (!m || port < 0 || port > 65535)
    throw new EnrollError("--listen must be host:port, like 0.0.0.0:7443 or [::]:7443");
  return { host: m[1] ?? m[2] ?? "", port };
}

async function post(f: typeof fetch, url: string, body: unknown): Promise<EnrollResponse> {
  let res: Response;
  try {
    res = await f(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (e as Error).message;
    throw new EnrollError(`cannot reach the panel at ${url}: ${why}`);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: said below
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | null)?.error;
    const what =
      res.status === 401 || res.status === 403 || res.status === 410
        ? "the panel refused the enrollment token"
        : `the panel answered ${res.status}`;
    throw new EnrollError(`${what}: ${err?.message ?? (text.slice(0, 200) || res.statusText)}`);
  }
  const parsed = enrollResponse.safeParse(json);
  if (!parsed.success)
    throw new EnrollError(
      `the panel's answer is not an enrollment response (is ${url} a Steward panel?)`,
    );
  return parsed.data;
}

/** The certificates must be what we asked for: our key, issued by the CA the panel sent. */
function check(a: EnrollResponse, privateKey: string) {
  let cert: X509Certificate;
  let ca: X509Certificate;
  let panel: X509Certificate;
  try {
    cert = new X509Certificate(a.certificate);
    ca = new X509Certificate(a.caCertificate);
    panel = new X509Certificate(a.panelCertificate);
  } catch {
    throw new EnrollError("the panel sent a certificate that is not valid PEM");
  }
  if (!cert.checkPrivateKey(createPrivateKey(privateKey)))
    throw new EnrollError("the panel's certificate is not for this agent's key");
  for (const [c, what] of [
    [cert, "agent"],
    [panel, "panel"],
  ] as const)
    if (!c.checkIssued(ca) || !c.verify(ca.publicKey))
      throw new EnrollError(`the ${what} certificate was not issued by the CA the panel sent`);
}
