// Output and input helpers: human tables by default, JSON with --json, one-line errors.
import { createInterface } from "node:readline";

export interface Out {
  json?: boolean;
}

export function print(out: Out, value: unknown, columns?: string[]) {
  if (out.json) {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  const page = value as { items?: unknown[]; nextCursor?: string | null };
  const rows = Array.isArray(value) ? value : Array.isArray(page?.items) ? page.items : null;
  if (rows) {
    table(rows as Record<string, unknown>[], columns);
    if (page?.nextCursor) process.stdout.write(`more: --cursor ${page.nextCursor}\n`);
    return;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([k]) => !columns || columns.includes(k));
    const width = Math.max(...entries.map(([k]) => k.length));
    for (const [k, v] of entries) process.stdout.write(`${k.padEnd(width)}  ${cell(v)}\n`);
    return;
  }
  process.stdout.write(`${String(value)}\n`);
}

const cell = (v: unknown) =>
  v === null || v === undefined
    ? "-"
    : typeof v === "object"
      ? JSON.stringify(v)
      : String(v).replace(/[\r\n\t]/g, " ");

function table(rows: Record<string, unknown>[], columns?: string[]) {
  if (rows.length === 0) {
    process.stdout.write("(none)\n");
    return;
  }
  const cols = columns ?? Object.keys(rows[0] ?? {});
  const widths = cols.map((c) =>
    Math.min(60, Math.max(c.length, ...rows.map((r) => cell(r[c]).length))),
  );
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.slice(0, 60).padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  process.stdout.write(`${line(cols.map((c) => c.toUpperCase()))}\n`);
  for (const r of rows) process.stdout.write(`${line(cols.map((c) => cell(r[c])))}\n`);
}

/** A secret from the flag, or from standard input (piped, or typed without echo). */
export async function readSecret(flag: string | undefined, prompt: string): Promise<string> {
  if (flag !== undefined) return flag;
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks)
      .toString("utf8")
      .replace(/\r?\n$/, "");
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const mutable = rl as unknown as { _writeToOutput: (s: string) => void };
  process.stderr.write(prompt);
  mutable._writeToOutput = () => {};
  const answer = await new Promise<string>((resolve) => rl.question("", resolve));
  rl.close();
  process.stderr.write("\n");
  return answer;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** One line, safe for a terminal: messages echo values given on the command line. */
export const oneLineOf = (message: string) => {
  const line = message
    .replace(/\s*\n\s*/g, " ")
    .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
};

/** Prints a one-line error (JSON with --json) and exits with code. */
export function fail(out: Out, message: string, code: number, errorCode?: string): never {
  const oneLine = oneLineOf(message);
  if (out.json)
    process.stderr.write(
      `${JSON.stringify({ error: { code: errorCode ?? "ERROR", message: oneLine } })}\n`,
    );
  else process.stderr.write(`steward: ${oneLine}\n`);
  process.exit(code);
}
