const SECRET_KEY =
  /pass(word)?|secret|token|key$|^key|apikey|code|credential|private|authorization|cookie/i;
export const REDACTED = "[redacted]";

/** A deep copy with the values of secret-looking keys replaced; safe for audit diffs and logs. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return "[too deep]";
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        SECRET_KEY.test(k) && v !== null && v !== undefined ? REDACTED : redact(v, depth + 1);
    }
    return out;
  }
  if (typeof value === "string" && value.length > 2000) return `${value.slice(0, 2000)}…`;
  return value;
}

/** The fields that changed between two versions of a record, redacted. */
export function diffOf(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
) {
  if (!before) return redact({ after });
  if (!after) return redact({ before });
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      changed[key] = { from: before[key], to: after[key] };
    }
  }
  return redact(changed);
}
