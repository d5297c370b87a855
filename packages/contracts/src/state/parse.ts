// One state file's text to its kind's object, or the first problem naming the field. The YAML
// is refused before it is expanded when it is too long, holds a NUL, an anchor or alias (a
// state file never needs one: no alias bomb), a tag, or two keys alike; then the kind's
// strict schema checks every field with the API's validators.
import { isAlias, isNode, parseDocument, visit } from "yaml";
import type { z } from "zod";
import { type StateFileOf, type StateKind, secretsFile, stateKinds } from "./files.ts";

/** A state file is at most this long: a zone of 20,000 records fits in it. */
export const STATE_FILE_MAX_BYTES = 2 * 1024 * 1024;

export type ParsedState<K extends StateKind> =
  | { ok: true; value: StateFileOf<K> }
  | { ok: false; field: string; message: string };

const refused = (field: string, message: string) => ({ ok: false as const, field, message });

/** YAML text to a plain value, or why it is refused (the field is always `file`). */
function yamlValue(
  text: string,
): { ok: true; value: unknown } | { ok: false; field: string; message: string } {
  if (
    text.length > STATE_FILE_MAX_BYTES ||
    new TextEncoder().encode(text).length > STATE_FILE_MAX_BYTES
  )
    return refused("file", `must be at most ${STATE_FILE_MAX_BYTES} bytes`);
  if (text.includes("\u0000")) return refused("file", "must not contain NUL bytes");
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, merge: false });
  const error = [...doc.errors, ...doc.warnings][0];
  if (error) return refused("file", `is not valid YAML: ${error.message.split("\n")[0]}`);
  let extra: string | undefined;
  visit(doc, (_key, node) => {
    if (isAlias(node) || (isNode(node) && node.anchor)) extra = "must not use anchors or aliases";
    else if (isNode(node) && node.tag) extra = "must not use tags";
    return extra ? visit.BREAK : undefined;
  });
  if (extra) return refused("file", extra);
  return { ok: true, value: doc.toJS({ maxAliasCount: 0 }) };
}

function checked<T>(
  schema: z.ZodType<T>,
  text: string,
): { ok: true; value: T } | { ok: false; field: string; message: string } {
  const y = yamlValue(text);
  if (!y.ok) return y;
  const r = schema.safeParse(y.value);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  const keys = (issue as { keys?: string[] } | undefined)?.keys;
  const path = issue?.path.map(String).join(".") ?? "";
  if (keys)
    return refused(path ? `${path}.${keys[0]}` : (keys[0] ?? "file"), "is not a known field");
  return refused(path || "file", issue?.message ?? "is invalid");
}

export function parseStateFile<K extends StateKind>(kind: K, text: string): ParsedState<K> {
  return checked(stateKinds[kind].schema as unknown as z.ZodType<StateFileOf<K>>, text);
}

/** A secrets file (`--secrets FILE`), with the same YAML guards as a state file. */
export function parseSecretsFile(text: string) {
  return checked(secretsFile, text);
}
