// What an operation's result says to a person: the failure in one line (each part once), and
// the warnings of an apply that held.
import { agent } from "@steward/contracts";

/**
 * The failure of an operation in one line a person can act on. `hadPrevious`: the site had
 * an applied configuration before, so a rollback restored it (a new site's is only removed).
 */
export function failureMessage(result: agent.OpResult, hadPrevious: boolean): string {
  const message = result.error?.message ?? "the operation failed";
  const failed = result.steps.find((s) => !s.ok);
  // the step and its last line of output, each unless the message already says it
  const last = failed?.stderr.trim().split("\n").at(-1);
  const extra = [
    failed && !message.includes(failed.name) ? `step ${failed.name}` : "",
    last && !message.includes(last) ? last : "",
  ].filter(Boolean);
  const detail = extra.length ? ` (${extra.join(": ")})` : "";
  const rolled =
    result.status !== "rolled_back"
      ? ""
      : hadPrevious
        ? "; the previous configuration was restored and keeps serving"
        : "; the new configuration was taken away again";
  return `${message}${detail}${rolled}`;
}

/** The warnings of an apply that held, in one line; null when there are none. */
export function warningOf(result: agent.OpResult): string | null {
  const out = agent.siteApplyOutput.safeParse(result.output);
  const warnings = out.success ? (out.data.warnings ?? []) : [];
  return warnings.length ? warnings.join("; ") : null;
}
