// A tool's process as a stream stage (tar, pg_dump, mariadb-dump, mongodump, pg_restore…):
// its exit decides how the stream ends. An accepted exit code ends it, any other fails it with
// the tool's own first words on stderr (secrets it may echo replaced), so a dump that fails
// (a bad password, a missing database) fails the backup saying why.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { PassThrough, type Writable } from "node:stream";
import { EXEC_PATH } from "../../system/exec.ts";

/** A tool's environment: nothing of the agent's own, the C locale (messages in English). */
export const toolEnv = (extra: Record<string, string> = {}, path = EXEC_PATH) => ({
  PATH: path,
  LC_ALL: "C",
  ...extra,
});

export interface Settling {
  /** the tool's name in messages */
  tool: string;
  /** exit codes that end the stream well (the others fail it) */
  accepted: readonly number[];
  /** stderr lines of an accepted non-zero exit (tar's "file changed as we read it") */
  warnings?: string[];
  /** an error found meanwhile by the caller, which wins over the exit code */
  failure?: () => Error | null;
  /** strings never to repeat in a message (passwords) */
  secrets?: readonly string[];
  /** runs once the tool exited, before the stream ends (private files, a held transaction) */
  cleanup?: () => Promise<unknown>;
}

export const redact = (text: string, secrets: readonly string[] = []) =>
  secrets.filter((s) => s.length > 0).reduce((t, s) => t.split(s).join("(secret)"), text);

/** Ends `out` when the tool exited well, fails it with the tool's first words otherwise. */
export function settle(child: ReturnType<typeof spawn>, out: PassThrough, s: Settling) {
  let cleaned: Promise<unknown> | null = null;
  const cleanup = () => {
    cleaned ??= (s.cleanup?.() ?? Promise.resolve()).catch(() => undefined);
    return cleaned;
  };
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4096);
  });
  // a tool that cannot start (missing, not executable) may never emit "close"
  child.on("error", async (error) => {
    await cleanup();
    out.destroy(new Error(`${s.tool}: ${redact(error.message, s.secrets)}`));
  });
  child.on("close", async (code, signal) => {
    await cleanup();
    const failed = s.failure?.();
    if (failed) return void out.destroy(failed);
    const said = redact(stderr.trim(), s.secrets);
    // the line that names the error (the mariadb client echoes the statement first), else the
    // first line: the last is often "Exiting with failure status"
    const lines = said.split("\n");
    const first = lines.find((l) => /^ERROR |error: /i.test(l)) ?? lines[0] ?? "";
    if (code !== null && s.accepted.includes(code)) {
      if (code !== 0) s.warnings?.push(...said.split("\n"));
      out.end();
    } else
      out.destroy(
        new Error(
          `${s.tool} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${first ? `: ${first}` : ""}`,
        ),
      );
  });
}

/** Resolves once the tool exited as `s` accepts (its cleanup done), fails with its words. */
export function exitOf(child: ReturnType<typeof spawn>, s: Settling): Promise<void> {
  const done = new PassThrough();
  settle(child, done, s);
  done.resume();
  return new Promise<void>((ok, fail) => {
    done.on("end", ok);
    done.on("error", fail);
  });
}

/** Feeds `source` into the tool's stdin and resolves once the tool exited well. */
export async function intoTool(
  child: ReturnType<typeof spawn>,
  source: AsyncIterable<Buffer>,
  s: Settling,
): Promise<void> {
  const exited = exitOf(child, s);
  const fed = feed(source, child.stdin as Writable).catch((error: Error) => {
    // the stream failed (a damaged artifact): the tool must not take what it got as whole
    child.kill("SIGTERM");
    throw error;
  });
  exited.catch(() => undefined);
  await fed;
  await exited;
}

/**
 * Writes the stream into a tool's stdin with backpressure. A tool may exit before the end (tar
 * at its end-of-archive marker, before the last padding; an import that failed): the rest is
 * still read (and dropped), so that the stages before it (the artifact's SHA-256 check) see
 * the whole stream.
 */
async function feed(source: AsyncIterable<Buffer>, stdin: Writable): Promise<void> {
  let open = true;
  const closed = () => {
    open = false;
  };
  stdin.on("error", closed);
  stdin.on("close", closed);
  for await (const chunk of source) {
    if (!open || stdin.write(chunk)) continue;
    // the wait's listeners go with it (each once() adds its event's and an error listener)
    const waited = new AbortController();
    const { signal } = waited;
    try {
      await Promise.race([once(stdin, "drain", { signal }), once(stdin, "close", { signal })]);
    } finally {
      waited.abort();
    }
  }
  if (open) stdin.end();
}

/**
 * A tool's stdout as a source stream (argv, no shell): it ends when the tool exited well and
 * fails otherwise; destroying it early kills the tool. `s.cleanup` runs once the tool exited.
 */
export function toolSource(
  file: string,
  args: string[],
  env: Record<string, string>,
  s: Settling,
): { stream: PassThrough; child: ReturnType<typeof spawn> } {
  const child = spawn(file, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const out = new PassThrough();
  child.stdout?.pipe(out, { end: false });
  settle(child, out, s);
  out.on("close", () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  });
  return { stream: out, child };
}
