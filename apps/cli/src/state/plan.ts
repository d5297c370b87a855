// What applying a state directory would change: for each kind in dependency order, the files
// the panel does not hold (create), those it holds otherwise (update, with each field's
// change) and, with --prune, what the panel holds that no file names (delete). A reference
// to something neither on the panel nor in the directory (a node never enrolled) refuses the
// whole plan, naming the file and the field.
import { type Api, ApiError } from "./api.ts";
import { refusedFile, type StateFiles } from "./files.ts";
import { type Current, missing, type Reference, type Refs, type StateKind } from "./kind.ts";
import { kindOps, kindOrder } from "./kinds/index.ts";
import { readRefs } from "./refs.ts";

export interface FieldChange {
  field: string;
  from?: unknown;
  to?: unknown;
  /** array fields: the items that go and come */
  removed?: unknown[];
  added?: unknown[];
}

export interface Change {
  kind: StateKind;
  name: string;
  action: "create" | "update" | "delete";
  fields: FieldChange[];
  file: unknown;
  current?: Current<unknown>;
}

export const fileOf = (c: { kind: string; name: string }) => `${c.kind}/${c.name}.yaml`;

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Keys sorted at every level: the same settings in another key order are no change. */
const sorted = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(sorted)
    : isMap(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
        )
      : v;
const json = (v: unknown) => JSON.stringify(sorted(v));

/** The fields that differ; a mapping (a monitor's settings) field by field: `settings.chatId`. */
function fieldChanges(
  from: Record<string, unknown>,
  to: Record<string, unknown>,
  prefix = "",
): FieldChange[] {
  const out: FieldChange[] = [];
  for (const key of [...new Set([...Object.keys(from), ...Object.keys(to)])].sort()) {
    const [a, b] = [from[key], to[key]];
    const field = `${prefix}${key}`;
    if (json(a) === json(b)) continue;
    if (isMap(a) && isMap(b)) out.push(...fieldChanges(a, b, `${field}.`));
    else if (Array.isArray(a) && Array.isArray(b)) {
      const [had, has] = [new Set(a.map(json)), new Set(b.map(json))];
      out.push({
        field,
        removed: a.filter((x) => !has.has(json(x))),
        added: b.filter((x) => !had.has(json(x))),
      });
    } else
      out.push({
        field,
        ...(a === undefined ? {} : { from: a }),
        ...(b === undefined ? {} : { to: b }),
      });
  }
  return out;
}

/** The kinds' current resources; a kind the caller may not list is refused if files use it. */
async function readKind(api: Api, refs: Refs, kind: StateKind, files: Map<string, unknown>) {
  try {
    return (await kindOps[kind].read(api, refs as never)) as Map<string, Current<unknown>>;
  } catch (e) {
    if (e instanceof ApiError && e.status === 403 && files.size === 0) return null;
    if (e instanceof ApiError && e.status === 403)
      throw refusedFile(`${kind}/`, "kind", `this API key may not list ${kind}s: ${e.message}`);
    throw e;
  }
}

function checkReferences(state: StateFiles, refs: Refs) {
  for (const name of state.node.keys())
    if (!refs.nodes.has(name))
      throw refusedFile(
        fileOf({ kind: "node", name }),
        "name",
        `node ${name} does not exist (nodes are enrolled, not applied: docs/nodes.md)`,
      );
  /** what the directory makes, which others may name before it exists */
  const planned: Partial<Record<Reference["to"], Map<string, unknown>>> = {
    account: state.account,
    group: state.group,
    "mail domain": state["mail-domain"],
    monitor: state.monitor,
    channel: state.channel,
    "system user": state["system-user"],
  };
  const on: Record<Reference["to"], Map<string, string> | null> = {
    account: refs.accounts,
    group: refs.groups,
    node: refs.nodes,
    user: refs.users,
    "mail domain": refs.mailDomains,
    monitor: refs.monitors,
    channel: refs.channels,
    "system user": refs.systemUsers,
  };
  for (const kind of kindOrder)
    for (const [name, file] of state[kind] as Map<string, never>)
      for (const ref of kindOps[kind].refers(file))
        if (!on[ref.to]?.has(ref.name) && !planned[ref.to]?.has(ref.name))
          throw refusedFile(
            fileOf({ kind, name }),
            ref.field,
            missing(on[ref.to], ref.to, ref.name),
          );
}

/** What files name of kinds before theirs must be on the panel or in the directory. */
function checkNamed(
  kind: StateKind,
  files: Map<string, unknown>,
  held: Map<StateKind, Map<string, Current<unknown>> | null>,
  state: StateFiles,
) {
  for (const [name, file] of files)
    for (const ref of kindOps[kind].names?.(file as never) ?? [])
      if (!held.get(ref.kind)?.has(ref.name) && !state[ref.kind].has(ref.name))
        throw refusedFile(
          fileOf({ kind, name }),
          ref.field,
          `${ref.kind} ${ref.name} does not exist`,
        );
}

/** The plan: every change, in the order apply makes them (deletions last, reversed). */
export async function planState(api: Api, state: StateFiles, prune: boolean) {
  const refs = await readRefs(api);
  checkReferences(state, refs);
  const changes: Change[] = [];
  const deletes: Change[] = [];
  const held = new Map<StateKind, Map<string, Current<unknown>> | null>();
  for (const kind of kindOrder) {
    const ops = kindOps[kind];
    const files = state[kind] as Map<string, unknown>;
    checkNamed(kind, files, held, state);
    const current = await readKind(api, refs, kind, files);
    held.set(kind, current);
    if (!current) continue;
    const rank = (file: unknown) => ops.rank?.(file as never) ?? 0;
    const ordered = [...files].sort(([a, x], [b, y]) => rank(x) - rank(y) || (a < b ? -1 : 1));
    for (const [name, file] of ordered) {
      const have = current.get(name);
      if (!have) {
        changes.push({ kind, name, action: "create", fields: [], file });
        continue;
      }
      const fields = fieldChanges(
        have.file as Record<string, unknown>,
        file as Record<string, unknown>,
      );
      // a fixed field's parts too (`git.ref` of a fixed `git`)
      const fixed = fields.find(
        (f) => !ops.update || ops.fixed.some((x) => f.field === x || f.field.startsWith(`${x}.`)),
      );
      if (fixed)
        throw refusedFile(
          fileOf({ kind, name }),
          fixed.field,
          "cannot change in place (delete the resource and create it again)",
        );
      if (fields.length)
        changes.push({ kind, name, action: "update", fields, file, current: have });
    }
    if (prune)
      // reversed below: what is made last goes first
      for (const [name, have] of [...current].sort(([, x], [, y]) => rank(x.file) - rank(y.file)))
        if (!files.has(name))
          deletes.unshift({
            kind,
            name,
            action: "delete",
            fields: [],
            file: have.file,
            current: have,
          });
  }
  return { changes: [...changes, ...deletes], refs };
}

const show = (v: unknown) => JSON.stringify(v);

/** The plan for people: one line per resource, one per changed field or item. */
export function planText(changes: Change[]): string {
  if (changes.length === 0) return "no changes: the panel matches the directory\n";
  const lines: string[] = [];
  const sign = { create: "+", update: "~", delete: "-" };
  for (const c of changes) {
    lines.push(`${sign[c.action]} ${c.action} ${fileOf(c)}`);
    for (const f of c.fields) {
      if (f.removed || f.added) {
        for (const x of f.removed ?? []) lines.push(`    ${f.field}: - ${show(x)}`);
        for (const x of f.added ?? []) lines.push(`    ${f.field}: + ${show(x)}`);
      } else lines.push(`    ${f.field}: ${show(f.from ?? null)} -> ${show(f.to ?? null)}`);
    }
  }
  const count = (a: Change["action"]) => changes.filter((c) => c.action === a).length;
  lines.push(
    `${count("create")} to create, ${count("update")} to update, ${count("delete")} to delete`,
  );
  return `${lines.join("\n")}\n`;
}
