// Helpers of `steward site …`: the options by the API field they fill, the service's refusals
// of a field as refusals of the option that gave it, and the answers.
import type { Site } from "@steward/contracts";
import { AppError } from "@steward/server/admin";
import { UsageError } from "../context.ts";
import { type Out, print } from "../io.ts";

/** The option that fills each field of siteCreate, siteUpdate and siteListQuery. */
export const OPTIONS: Record<string, string> = {
  node: "--node",
  account: "--account",
  kind: "--kind",
  domains: "--domain",
  aliases: "--alias",
  redirect: "--redirect",
  root: "--root",
  upstream: "--upstream",
  phpAllowExec: "--php-exec",
  phpVersion: "--php-version",
  writableDirs: "--writable-dir",
  monitor: "--monitor",
  status: "--status",
  q: "--search",
};

/** Collects a repeatable option (`--domain a.com --domain b.com`). */
export const collect = (value: string, previous?: string[]) => [...(previous ?? []), value];

/** The option whose names another site already has (each "; " part starts with the name). */
function takenBy(message: string, given: { domains?: string[]; aliases?: string[] }) {
  const taken = message.split("; ").map((part) => part.split(" ")[0] ?? "");
  if (taken.some((n) => given.domains?.includes(n))) return "--domain";
  if (taken.some((n) => given.aliases?.includes(n))) return "--alias";
  return given.domains || given.aliases ? "--redirect" : "--domain";
}

/**
 * Runs fn; the service's refusal of a field becomes the refusal of its option: invalid input
 * exits 2 (UsageError), a name another site has stays a conflict (exit 1).
 */
export async function byOption<T>(
  given: { domains?: string[]; aliases?: string[] },
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    throw usageOf(e, OPTIONS, given) ?? e;
  }
}

/**
 * The service's refusal of a field as the refusal of the option that gave it: invalid input
 * exits 2 (UsageError); a name another site has stays a conflict naming the option (exit 1).
 */
export function usageOf(
  e: AppError,
  options: Record<string, string>,
  given: { domains?: string[]; aliases?: string[] } = {},
): Error | null {
  const detail = e.details?.[0];
  const option = detail && (options[detail.field] ?? options[detail.field.split(".")[0] ?? ""]);
  if (!detail || !option) return null;
  if (e.code === "VALIDATION_FAILED") return new UsageError(`${option}: ${detail.message}`);
  if (e.code === "CONFLICT" && detail.field === "domains")
    return new AppError("CONFLICT", `${takenBy(detail.message, given)}: ${detail.message}`);
  return null;
}

/** A list's rows for people: the primary name and the last error, shortened. */
export const rowsOf = (sites: Site[]) =>
  sites.map((s) => ({
    id: s.id,
    domain: s.domains[0] ?? "-",
    kind: s.kind,
    node: s.nodeId,
    status: s.status,
    lastError:
      s.lastError && s.lastError.length > 40 ? `${s.lastError.slice(0, 39)}…` : s.lastError,
  }));

/** A change's answer: the site, the task applying it and how to follow that task. */
export function printChange(out: Out, s: Site & { taskId: string }, what: string) {
  if (out.json) return print(out, s);
  process.stdout.write(
    `site ${s.id} (${s.domains[0] ?? "-"}) ${what}\n` +
      `task ${s.taskId} applies it on node ${s.nodeId}; follow it with:\n` +
      `  steward task logs ${s.taskId} --follow\n`,
  );
}
