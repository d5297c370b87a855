// What each kind of resource does in `steward state`: read what the panel holds as files
// (ids replaced by names), and create, update and delete one resource through the API. One
// module per kind (kinds/), listed in dependency order in kinds/index.ts.
import {
  type StateKind as AnyKind,
  labelFileName,
  type StateFileOf,
} from "@steward/contracts/state";
import { type Api, ApiError } from "./api.ts";
import { StateRefused } from "./files.ts";

/** The secrets given with `--secrets FILE`, by name. */
export type Secrets = ReadonlyMap<string, string>;

/** One resource on the panel: its id and what its file would hold. */
export interface Current<F> {
  id: string;
  file: F;
}

/** Names and ids of what files refer to, as the caller sees them. */
export interface Refs {
  accounts: Map<string, string>;
  nodes: Map<string, string>;
  groups: Map<string, string>;
  /** null when the caller may not list users */
  users: Map<string, string> | null;
  /** mail domains by name */
  mailDomains: Map<string, string>;
  /** monitors by file name (`shop--shop-example`) */
  monitors: Map<string, string>;
  /** notification channels by file name (`shop--alerts`) */
  channels: Map<string, string>;
  /** system users by file name (`web-1--shop`) */
  systemUsers: Map<string, string>;
}

export interface Reference {
  field: string;
  to: "account" | "group" | "user" | "node" | "mail domain" | "monitor" | "channel" | "system user";
  name: string;
}

/** A resource of another kind, by its file name: on the panel or in the directory. */
export interface Named {
  field: string;
  kind: StateKind;
  name: string;
}

/** The ids of a kind's resources on the panel, by file name. */
export async function idsOf<K extends StateKind>(ops: KindOps<K>, api: Api, refs: Refs) {
  return new Map([...(await ops.read(api, refs))].map(([name, c]) => [name, c.id]));
}

/** The file names of a kind's resources on the panel, by id. */
export async function namesOf<K extends StateKind>(ops: KindOps<K>, api: Api, refs: Refs) {
  return new Map([...(await ops.read(api, refs))].map(([name, c]) => [c.id, name]));
}

/**
 * Sends a kind's request, a refusal naming the file's field where the panel names the API's
 * (`source.databaseId` is the file's `source.database`).
 */
export async function asFileFields<T>(renames: [RegExp, string][], send: () => Promise<T>) {
  try {
    return await send();
  } catch (e) {
    if (!(e instanceof ApiError) || e.field === undefined) throw e;
    const field = renames.reduce((f, [from, to]) => f.replace(from, to), e.field);
    throw new ApiError(e.status, e.code, e.message, field);
  }
}

/** The name a reference has, or a refusal naming the field. */
export class MissingReference extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** the kinds made through the API: nodes are only referenced */
export type StateKind = Exclude<AnyKind, "node">;

export interface KindOps<K extends StateKind> {
  kind: K;
  /** what the panel holds of this kind that the caller sees, by file name */
  read(api: Api, refs: Refs): Promise<Map<string, Current<StateFileOf<K>>>>;
  /** secrets: the values of `--secrets FILE` by name (those `secrets` names are there) */
  create(api: Api, refs: Refs, file: StateFileOf<K>, secrets: Secrets): Promise<void>;
  /** absent: every field but the name is fixed */
  update?(
    api: Api,
    refs: Refs,
    current: Current<StateFileOf<K>>,
    file: StateFileOf<K>,
  ): Promise<void>;
  remove(api: Api, current: Current<StateFileOf<K>>): Promise<void>;
  /** which of the kind's files apply makes first (lower first; then by name): a main user */
  rank?: (file: StateFileOf<K>) => number;
  /** fields that cannot change in place (a site's node): a change is refused naming it */
  fixed: string[];
  /** what a file refers to: the field and the name of an account, group, user or node */
  refers: (file: StateFileOf<K>) => Reference[];
  /** what a file names of other kinds by their file names (a database's server) */
  names?: (file: StateFileOf<K>) => Named[];
  /** the secrets a new resource needs: the field and the secret's name */
  secrets?: (file: StateFileOf<K>) => { field: string; name: string }[];
}

/** The id of a name in one of the reference maps (name -> id), or a refusal naming the field. */
export function idOf(map: Map<string, string> | null, field: string, name: string, what: string) {
  const id = map?.get(name);
  if (id === undefined) throw new MissingReference(field, missing(map, what, name));
  return id;
}

/** Why a reference is not found: it does not exist, or the caller may not list its kind. */
export function missing(map: Map<string, string> | null, what: string, name: string) {
  return map ? `${what} ${name} does not exist` : `${what}s are not visible to this API key`;
}

/** The name of an id (id -> name) when reading: an id the caller cannot name stays an id. */
export function nameOf(byId: Map<string, string>, id: string): string {
  for (const [name, value] of byId) if (value === id) return name;
  return id;
}

/**
 * Adds a resource named by a free label (a monitor's "Shop DB port") under its file name;
 * two that would share one file, or a label without a letter or digit, are refused naming
 * the file: an export never drops one silently.
 */
export function addLabelled<F extends { name: string }>(
  out: Map<string, Current<F>>,
  kind: string,
  fileName: string,
  current: Current<F>,
) {
  const shown = `${kind}/${fileName}.yaml`;
  if (labelFileName(current.file.name) === "")
    throw new StateRefused(
      `${shown}: name: "${current.file.name}" has no letter or digit to name its file: rename it`,
    );
  const twin = out.get(fileName);
  if (twin)
    throw new StateRefused(
      `${shown}: name: "${twin.file.name}" and "${current.file.name}" would share this file: rename one`,
    );
  out.set(fileName, current);
}
