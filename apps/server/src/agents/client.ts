// The panel's side of the agent protocol. Every request: the node is read right before (a
// revoked or unenrolled node is refused without connecting), mutual TLS with the panel's
// client certificate, the agent's certificate chained to the installation's CA *and* pinned
// to the fingerprint recorded at enrollment, a fresh request token, and X-Request-Id.
// While the answer streams, the node's state is read again every second: revoking a node
// stops what runs on it. Operations are only ever sent from tasks.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import type { PeerCertificate } from "node:tls";
import { agent } from "@steward/contracts";
import { fingerprintOf } from "@steward/pki";
import type { Db } from "../db/open.ts";
import type { PkiStore } from "../pki/store.ts";
import { errorMessageOf, type OnLog, parseJson, readStream, readText } from "./body.ts";
import { agentError, fromNetworkError, mismatch, unreachable } from "./errors.ts";
import { loadNode, type NodeRef, promote, watchRevocation } from "./node-state.ts";

export type { NodeRef, OnLog };

/** What the client needs of the services: the database and the PKI. */
export interface AgentEnv {
  db: Db;
  pki: PkiStore;
}

export interface AgentRequestOptions {
  method: "GET" | "POST";
  /** e.g. /v1/health */
  path: string;
  /** what the request token allows: "health", "facts", "op:<name>", "cert", "backup-read" */
  sub: string;
  body?: unknown;
  requestId?: string;
  signal?: AbortSignal;
  /** log lines of a streamed (NDJSON) answer */
  onLog?: OnLog;
  /** limit on the whole request, ms (heartbeats); by default only connecting is limited */
  timeoutMs?: number;
  /** how often the node's state is read again while the request runs, ms (default 1000) */
  revocationCheckMs?: number;
}

/** A 200 answer whose body is bytes (agentStream): handed over unread. */
type Handover = { body: IncomingMessage | null };

const CONNECT_MS = 10_000;

/**
 * One request to a node's agent. Returns the parsed JSON answer, or for a streamed (NDJSON)
 * answer its result line after passing each log line to onLog. Throws AgentError (worth
 * retrying) or AgentPermanentError (not), with a message that says what to do.
 */
export async function agentRequest(
  env: AgentEnv,
  ref: NodeRef,
  opts: AgentRequestOptions,
  handover?: Handover,
): Promise<unknown> {
  const node = await loadNode(env.db, ref);
  const [token, panel, ca] = await Promise.all([
    env.pki.mintToken(node.id, opts.sub),
    env.pki.panel(),
    env.pki.ca(),
  ]);
  const url = new URL(node.agent_url);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const pins = [node.cert_fingerprint, node.cert_next_fingerprint].filter((p) => p !== null);
  const what = `${opts.method} ${opts.path}`;
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const peer = { fingerprint: null as string | null, handshake: false };
  // the first reason to stop wins; whatever the socket reports afterwards is its echo
  const halt: { reason: Error | null; byCaller: boolean } = { reason: null, byCaller: false };
  const timers: NodeJS.Timeout[] = [];
  let req: ReturnType<typeof https.request> | undefined;
  let res: IncomingMessage | undefined;
  const stop = (reason: Error) => {
    halt.reason ??= reason;
    req?.destroy(halt.reason);
    res?.destroy(halt.reason);
  };
  const callerReason = () =>
    opts.signal?.reason instanceof Error ? opts.signal.reason : new Error("aborted");
  const onAbort = () => {
    if (!halt.reason) halt.byCaller = true;
    stop(callerReason());
  };
  if (opts.signal?.aborted) throw callerReason();
  opts.signal?.addEventListener("abort", onAbort, { once: true });

  try {
    res = await new Promise<IncomingMessage>((resolve, reject) => {
      req = https.request({
        host,
        port: Number(url.port),
        method: opts.method,
        path: opts.path,
        agent: false, // a connection per request: the pin is checked at every handshake
        ca: ca.certificate,
        cert: panel.certificate,
        key: panel.key,
        servername: isIP(host) ? undefined : host,
        // The certificate chains to our CA (checked before this); the pin makes it the one
        // enrolled. Host names are not checked: the pin is stronger, and a node keeps its
        // identity when its address changes.
        checkServerIdentity: (_host: string, cert: PeerCertificate) => {
          peer.fingerprint = fingerprintOf(cert.raw);
          return pins.includes(peer.fingerprint)
            ? undefined
            : mismatch(node.agent_url, "its fingerprint differs");
        },
        headers: {
          authorization: `Bearer ${token}`,
          "x-request-id": opts.requestId ?? randomUUID(),
          accept: "application/json, application/x-ndjson",
          ...(payload === undefined
            ? {}
            : {
                "content-type": "application/json",
                "content-length": Buffer.byteLength(payload),
              }),
        },
      });
      req.on("response", resolve);
      req.on("error", reject);
      const connecting = setTimeout(
        () => stop(unreachable(node.agent_url, `no connection after ${CONNECT_MS / 1000} s`)),
        CONNECT_MS,
      );
      timers.push(connecting);
      req.on("socket", (socket) =>
        socket.once("secureConnect", () => {
          clearTimeout(connecting);
          peer.handshake = true;
        }),
      );
      if (opts.timeoutMs)
        timers.push(
          setTimeout(
            () => stop(unreachable(node.agent_url, `no answer within ${opts.timeoutMs} ms`)),
            opts.timeoutMs,
          ),
        );
      timers.push(watchRevocation(env.db, node, opts.revocationCheckMs ?? 1000, stop));
      req.end(payload);
    });
    if (peer.fingerprint && peer.fingerprint !== node.cert_fingerprint)
      await promote(env.db, node.id, peer.fingerprint);
    if (handover && res.statusCode === 200) {
      // the caller reads the body; the revocation watch and the timers end with it
      const body = res;
      const ended = [...timers];
      timers.length = 0;
      body.once("close", () => {
        for (const t of ended) clearTimeout(t);
      });
      handover.body = body;
      return undefined;
    }
    return await readAnswer(res, node.agent_url, what, opts.onLog);
  } catch (err) {
    // a cancelled or timed-out task: its own reason, as the task engine expects
    if (halt.byCaller && halt.reason) throw halt.reason;
    // TLS 1.3: an agent that refuses the panel's certificate resets the connection just after
    // the handshake, before any answer
    const code = (err as NodeJS.ErrnoException)?.code;
    if (!halt.reason && peer.handshake && !res && (code === "ECONNRESET" || code === "EPIPE"))
      throw unreachable(
        node.agent_url,
        "it closed the connection right after the TLS handshake: does it accept this panel's certificate, or was it enrolled with another panel?",
      );
    throw fromNetworkError(halt.reason ?? err, node.agent_url);
  } finally {
    for (const t of timers) clearTimeout(t);
    opts.signal?.removeEventListener("abort", onAbort);
    if (!res?.complete && !handover?.body) res?.destroy();
  }
}

/**
 * A GET whose 200 answer is a byte stream (a backup artifact): the same checks as every
 * request, errors as agentRequest's; the body is returned unread, so the caller's pipeline
 * gives the backpressure. The node's state is still read while it streams.
 */
export async function agentStream(
  env: AgentEnv,
  ref: NodeRef,
  opts: Omit<AgentRequestOptions, "method" | "body" | "onLog">,
): Promise<IncomingMessage> {
  const handover: Handover = { body: null };
  await agentRequest(env, ref, { ...opts, method: "GET" }, handover);
  if (!handover.body)
    throw agentError("AGENT_PROTOCOL", `the agent's answer to GET ${opts.path} has no body`);
  return handover.body;
}

async function readAnswer(res: IncomingMessage, agentUrl: string, what: string, onLog?: OnLog) {
  const status = res.statusCode ?? 0;
  if (status === 401 || status === 403)
    throw agentError(
      "AGENT_REFUSED_CREDENTIALS",
      `the agent refused the panel's credentials: ${errorMessageOf(await readText(res, 65_536), status)} (are the clocks of the panel and the node in step? was the node enrolled with another panel?)`,
    );
  if (status >= 400)
    throw agentError(
      "AGENT_ERROR",
      `the agent at ${agentUrl} answered ${status} to ${what}: ${errorMessageOf(await readText(res, 65_536), status)}`,
      { permanent: status < 500 },
    );
  if (String(res.headers["content-type"] ?? "").includes("ndjson"))
    return readStream(res, what, onLog);
  return parseJson(await readText(res), what);
}

/**
 * Runs an operation on a node: the input checked against its contract, POST
 * /v1/ops/<name> {version, input}, log lines to onLog as they stream, the result checked.
 */
export async function runOperation<N extends agent.OperationName>(
  env: AgentEnv,
  ref: NodeRef,
  name: N,
  input: unknown,
  opts: { requestId?: string; signal?: AbortSignal; onLog?: OnLog } = {},
): Promise<agent.OpResult> {
  const op = agent.operations[name];
  if (!op) throw agentError("OP_INPUT_INVALID", `there is no operation ${name}`);
  const checked = op.input.safeParse(input);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw agentError(
      "OP_INPUT_INVALID",
      `the input of ${name} is not valid: ${issue?.path.join(".") || "input"}: ${issue?.message ?? "invalid"}`,
    );
  }
  const answer = await agentRequest(env, ref, {
    method: "POST",
    path: `/v1/ops/${name}`,
    sub: `op:${name}`,
    body: { version: op.version, input: checked.data },
    ...opts,
  });
  const result = agent.opResult.safeParse(answer);
  const output =
    result.success && result.data.status === "ok" && result.data.output !== undefined
      ? op.output.safeParse(result.data.output)
      : null;
  if (!result.success || output?.success === false)
    throw agentError(
      "AGENT_PROTOCOL",
      `the agent's answer to ${name} is not the result this panel expects: are the agent and the panel the same version?`,
    );
  return output ? { ...result.data, output: output.data } : result.data;
}

/** The client bound to the services, as services.ts exposes it. */
export function createAgentClient(env: AgentEnv) {
  return {
    request: (ref: NodeRef, opts: AgentRequestOptions) => agentRequest(env, ref, opts),
    stream: (ref: NodeRef, opts: Omit<AgentRequestOptions, "method" | "body" | "onLog">) =>
      agentStream(env, ref, opts),
    runOperation: <N extends agent.OperationName>(
      ref: NodeRef,
      name: N,
      input: unknown,
      opts?: { requestId?: string; signal?: AbortSignal; onLog?: OnLog },
    ) => runOperation(env, ref, name, input, opts),
  };
}

export type AgentClient = ReturnType<typeof createAgentClient>;
