// Reading an agent's answer: a JSON document, or NDJSON lines (log lines, then one result).
import type { IncomingMessage } from "node:http";
import { agent } from "@steward/contracts";
import { agentError } from "./errors.ts";

const MAX_JSON = 16 * 1024 * 1024;
const MAX_LINE = 1024 * 1024;

export type OnLog = (message: string, level: "info" | "warn" | "error") => void;

export async function readText(res: IncomingMessage, max = MAX_JSON): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > max)
      throw agentError("AGENT_PROTOCOL", `the agent's answer is larger than ${max} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw agentError(
      "AGENT_PROTOCOL",
      `the agent's answer to ${what} is not JSON: is the agent the same version as the panel?`,
    );
  }
}

/** What an agent's error answer says, or its status when it says nothing readable. */
export function errorMessageOf(text: string, status: number): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown }; message?: unknown };
    const m = body?.error?.message ?? body?.message;
    if (typeof m === "string" && m) return m.slice(0, 1000);
  } catch {}
  const plain = text.trim().slice(0, 300);
  return plain || `HTTP ${status}`;
}

/**
 * Reads NDJSON line by line: log lines go to onLog as they arrive, the result line is
 * returned. An answer that ends without a result was cut short.
 */
export async function readStream(
  res: IncomingMessage,
  what: string,
  onLog: OnLog | undefined,
): Promise<agent.OpResult> {
  let buffer = "";
  const got: { result?: agent.OpResult } = {};
  const line = (text: string) => {
    if (!text.trim()) return;
    const parsed = agent.opStreamLine.safeParse(parseJson(text, what));
    if (!parsed.success)
      throw agentError(
        "AGENT_PROTOCOL",
        `the agent sent a line the panel does not understand in its answer to ${what}: is it the same version as the panel?`,
      );
    if (parsed.data.type === "log") onLog?.(parsed.data.message, parsed.data.level);
    else got.result = parsed.data.result;
  };
  res.setEncoding("utf8");
  for await (const chunk of res) {
    buffer += chunk as string;
    let nl = buffer.indexOf("\n");
    while (nl >= 0) {
      line(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf("\n");
    }
    if (buffer.length > MAX_LINE)
      throw agentError("AGENT_PROTOCOL", `the agent sent a line longer than ${MAX_LINE} bytes`);
  }
  line(buffer);
  if (!got.result)
    throw agentError(
      "AGENT_UNREACHABLE",
      `the agent's answer to ${what} ended before its result: the connection was cut or the agent stopped`,
    );
  return got.result;
}
