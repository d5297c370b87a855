// The state directory: `DIR/<kind>/<name>.yaml`, one file per resource. Written with sorted
// keys and no timestamps, so that an unchanged panel writes the same bytes; read refusing
// anything that is not a plain file of a known kind, named as its content says, naming the
// file and the field.
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  parseSecretsFile,
  parseStateFile,
  STATE_FILE_MAX_BYTES,
  type StateFileOf,
  type StateKind,
  stateFileName,
  stateKindNames,
  stateKinds,
} from "@steward/contracts/state";
import { stringify } from "yaml";

export type StateFiles = { [K in StateKind]: Map<string, StateFileOf<K>> };

/** A refusal naming the file and the field: `site/shop.example.yaml: domains.0: must be …`. */
export class StateRefused extends Error {}
export const refusedFile = (file: string, field: string, message: string) =>
  new StateRefused(`${file}: ${field}: ${message}`);

export const fileText = (value: unknown) =>
  stringify(value, { sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false });

/**
 * Writes the files of `kinds` (what the caller could read) and removes the `.yaml` files of
 * those kinds that are no longer on the panel; anything else in DIR is left alone.
 */
export function writeState(dir: string, state: Partial<StateFiles>): number {
  let written = 0;
  for (const kind of stateKindNames) {
    const files = state[kind] as Map<string, unknown> | undefined;
    if (!files) continue;
    const kindDir = join(dir, kind);
    mkdirSync(kindDir, { recursive: true });
    const names = [...files.keys()].sort();
    for (const name of names) {
      writeFileSync(join(kindDir, `${name}.yaml`), fileText(files.get(name)));
      written++;
    }
    const kept = new Set(names.map((n) => `${n}.yaml`));
    for (const entry of readdirSync(kindDir))
      if (entry.endsWith(".yaml") && !kept.has(entry)) rmSync(join(kindDir, entry));
  }
  return written;
}

function entriesOf(dir: string, shown: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch (e) {
    throw new StateRefused(`${shown}: cannot read (${(e as NodeJS.ErrnoException).code})`);
  }
}

/** Every file of DIR, checked; the first refused file stops it, naming file and field. */
export function readState(dir: string): StateFiles {
  const state = Object.fromEntries(stateKindNames.map((k) => [k, new Map()])) as StateFiles;
  const known = new Set<string>(stateKindNames);
  for (const entry of entriesOf(dir, dir)) {
    if (entry.startsWith(".")) continue;
    const isDir = lstatSync(join(dir, entry)).isDirectory();
    if (!isDir) continue;
    if (!known.has(entry))
      throw refusedFile(entry, "directory", `is not a kind (${stateKindNames.join(", ")})`);
    readKind(dir, entry as StateKind, state);
  }
  return state;
}

function readKind<K extends StateKind>(dir: string, kind: K, state: StateFiles) {
  const files = state[kind] as Map<string, StateFileOf<K>>;
  for (const entry of entriesOf(join(dir, kind), kind)) {
    const shown = `${kind}/${entry}`;
    if (!entry.endsWith(".yaml")) throw refusedFile(shown, "file", "must be named <name>.yaml");
    const name = entry.slice(0, -".yaml".length);
    const ok = stateFileName.safeParse(name);
    if (!ok.success) throw refusedFile(shown, "file", `name ${ok.error.issues[0]?.message}`);
    const stat = lstatSync(join(dir, kind, entry));
    if (!stat.isFile()) throw refusedFile(shown, "file", "must be a regular file");
    if (stat.size > STATE_FILE_MAX_BYTES)
      throw refusedFile(shown, "file", `must be at most ${STATE_FILE_MAX_BYTES} bytes`);
    const parsed = parseStateFile(kind, readFileSync(join(dir, kind, entry), "utf8"));
    if (!parsed.ok) throw refusedFile(shown, parsed.field, parsed.message);
    const named = stateKinds[kind].nameOf(parsed.value as never);
    if (named !== name)
      throw refusedFile(shown, "file", `must be named ${named}.yaml after what it holds`);
    files.set(name, parsed.value);
  }
}

/** The secrets of `--secrets FILE` (a YAML mapping of names to values), checked like a state file. */
export function readSecrets(file: string | undefined): Map<string, string> {
  if (file === undefined) return new Map();
  let text: string;
  try {
    const stat = lstatSync(file);
    if (stat.size > STATE_FILE_MAX_BYTES)
      throw refusedFile("--secrets", "file", `must be at most ${STATE_FILE_MAX_BYTES} bytes`);
    text = readFileSync(file, "utf8");
  } catch (e) {
    if (e instanceof StateRefused) throw e;
    throw refusedFile(
      "--secrets",
      "file",
      `cannot read ${file} (${(e as NodeJS.ErrnoException).code})`,
    );
  }
  const parsed = parseSecretsFile(text);
  if (!parsed.ok) throw refusedFile("--secrets", parsed.field, parsed.message);
  return new Map(Object.entries(parsed.value));
}
