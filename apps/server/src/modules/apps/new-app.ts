// What a new app is made of before the apps service stores it (service.ts, `insertNew`),
// whatever its source: an image, a git repository (its image named after the app) or a
// compose stack. Pure helpers shared by the create paths.
import type { AppCreate } from "@steward/contracts/apps";
import { nameFromImage } from "@steward/contracts/apps";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { conflict, invalid } from "../../lib/errors.ts";
import * as repo from "./repo.ts";

/** A new app of any source, as `insertNew` stores it. */
export interface NewRow {
  /** made by `insertNew` unless the source needed it first (a git app's image is named after it) */
  id?: string | undefined;
  account: string;
  node: string;
  /** the name wanted: suffixed when the account has it on the node already */
  name: string;
  image: string;
  /** what it runs (the list filters by it) */
  source: repo.AppRow["source"];
  env: AppCreate["env"];
  /** the stored spec, given the plain variables (the secret ones are sealed apart) */
  spec: (plain: Record<string, string>) => object;
  domain?: string | undefined;
  /** what the audit's `after` says besides the name, image, node and variable keys */
  audit?: Record<string, unknown>;
}

/** A new app running one container: an image's, or one built from a git repository. */
export type NewApp = Omit<AppCreate, "image"> & { id?: string; image: string };

/** A container app as a new row; its domain needs a published TCP port (the site's upstream). */
export function containerRow(input: NewApp): NewRow {
  if (input.domain && !input.ports.some((p) => p.protocol === "tcp"))
    throw invalid("domain", "needs a published TCP port (the site's upstream)");
  const { id, account, node, name, env, domain, ...spec } = input;
  return {
    id,
    account,
    node,
    name: name ?? nameFromImage(input.image),
    image: input.image,
    source: "image",
    env,
    spec: (plain) => ({ ...spec, env: plain }),
    domain,
    audit: { domain },
  };
}

/**
 * `wanted` when the account has no app of that name on the node, else wanted-2, wanted-3...:
 * another account's apps are not looked at (nothing of them shows in the name).
 */
export async function freeName(
  k: Kysely<Database>,
  accountId: string,
  nodeId: string,
  wanted: string,
) {
  const taken = new Set(
    (await repo.namesInAccountOnNode(k, accountId, nodeId, wanted)).map((r) => r.name),
  );
  if (!taken.has(wanted)) return wanted;
  for (let n = 2; ; n++) if (!taken.has(`${wanted}-${n}`)) return `${wanted}-${n}`;
}

/**
 * The node's name for a new app (its container's, compose project's and volumes'): the name
 * and the last six characters of the app's id, 48 characters at most. Unique on the node
 * without looking at the other accounts' apps (docs/apps.md, "Names").
 */
export function runtimeNameOf(name: string, id: string): string {
  return `${name.slice(0, 41).replace(/-+$/, "")}-${id.slice(-6)}`;
}

/** An app's variables: plain ones (kept in the spec) and secret ones (sealed); no key twice. */
export function splitEnv(env: AppCreate["env"]) {
  const keys = env.map((e) => e.key);
  const dup = keys.find((key, i) => keys.indexOf(key) !== i);
  if (dup) throw conflict(`the variable ${dup} is given twice`, "env");
  const pick = (secret: boolean) =>
    Object.fromEntries(env.filter((e) => e.secret === secret).map((e) => [e.key, e.value]));
  return { keys, plain: pick(false), hidden: pick(true) };
}
