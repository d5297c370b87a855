// POST /v1/ops/<name>: refuse what cannot run with a plain JSON 4xx (unknown operation or
// version, invalid input), then stream the run as NDJSON: log lines as they happen, then one
// result line. A client that goes away cancels the operation (which then rolls back).
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type AgentUpgradeOutput,
  type OpContract,
  type OperationName,
  type OpResult,
  operations,
  opRequest,
} from "@steward/contracts/agent";
import type { Logger } from "pino";
import type { AgentConfig } from "../config.ts";
import { runOperation } from "../ops/framework.ts";
import { handlerFor } from "../ops/index.ts";
import { type KeyedLock, LockWaitAborted, lockKey } from "../ops/lock.ts";
import { HttpError, readJson, validationError } from "./http.ts";
import type { AgentMetrics } from "./metrics.ts";

export interface OpsDeps {
  config: AgentConfig;
  lock: KeyedLock;
  metrics: AgentMetrics;
  /** aborted when the agent shuts down */
  shutdown: AbortSignal;
  /** after an agent.upgrade's answer: restart into the new binary */
  restart: () => void;
}

export async function handleOp(
  name: string,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  log: Logger,
  deps: OpsDeps,
) {
  if (!Object.hasOwn(operations, name))
    throw new HttpError("UNKNOWN_OPERATION", `there is no operation ${name.slice(0, 100)}`);
  const contract: OpContract = operations[name as OperationName];
  const body = opRequest.safeParse(await readJson(req, contract.maxBodyBytes));
  if (!body.success) throw validationError(body.error.issues, "body");
  if (body.data.version !== contract.version)
    throw new HttpError(
      "UNSUPPORTED_VERSION",
      `${name} version ${body.data.version} is not supported (this agent runs version ${contract.version})`,
    );
  const handler = await handlerFor(name as OperationName);
  if (!handler)
    throw new HttpError("NOT_IMPLEMENTED", `this agent cannot run ${name} yet (upgrade it)`);
  const input = contract.input.safeParse(body.data.input);
  if (!input.success) throw validationError(input.error.issues, "input");

  const client = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) client.abort();
  });
  res.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-store" });
  const opLog = log.child({ op: name });
  deps.metrics.running++;
  try {
    const signal = AbortSignal.any([client.signal, deps.shutdown]);
    const operation = () =>
      runOperation(handler, input.data, {
        config: deps.config,
        requestId,
        peer: peerOf(req),
        signal,
        onLog: (line) => {
          opLog[line.level](line.message);
          if (!res.writableEnded) res.write(`${JSON.stringify(line)}\n`);
        },
        onUnexpected: (error, step) => opLog.error({ err: error, step }, "unexpected error"),
      });
    // cancelled while another operation on the same site ran: nothing was touched
    const result: OpResult = await deps.lock
      .run(lockKey(input.data), operation, signal)
      .catch((e: unknown) => {
        if (!(e instanceof LockWaitAborted)) throw e;
        return {
          status: "failed",
          changed: false,
          steps: [],
          error: { code: "CANCELLED", message: e.message },
        };
      });
    deps.metrics.opDone(result.status);
    opLog.info({ status: result.status, changed: result.changed }, "operation finished");
    res.end(`${JSON.stringify({ type: "result", result })}\n`);
    const upgraded = result.status === "ok" && name === "agent.upgrade";
    if (upgraded && (result.output as AgentUpgradeOutput).restart) deps.restart();
  } finally {
    deps.metrics.running--;
  }
}

/** The request's remote address and the agent's port it reached. */
function peerOf(req: IncomingMessage) {
  const { remoteAddress, localPort } = req.socket;
  return remoteAddress && localPort ? { address: remoteAddress, localPort } : null;
}
