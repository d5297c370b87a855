// Applies a plan through the API, one resource at a time in the plan's order (each change is
// one of the panel's own transactions, audited as the key's user); the references are read
// again before each kind, so a site finds the account created just before it. The first
// refusal stops it, naming the file and the field the panel named. A secret a new resource
// needs and `--secrets` does not hold refuses the whole apply before any change: apply never
// invents one.
import { type Api, ApiError } from "./api.ts";
import { StateRefused } from "./files.ts";
import type { Current, Refs, Secrets, StateKind } from "./kind.ts";
import { MissingReference } from "./kind.ts";
import { kindOps } from "./kinds/index.ts";
import { type Change, fileOf } from "./plan.ts";
import { readRefs } from "./refs.ts";

async function applyOne(api: Api, refs: Refs, c: Change, secrets: Secrets) {
  const ops = kindOps[c.kind as StateKind];
  const file = c.file as never;
  const current = c.current as Current<never>;
  if (c.action === "create") await ops.create(api, refs, file, secrets);
  else if (c.action === "update") await ops.update?.(api, refs, current, file);
  else await ops.remove(api, current);
}

/** The first secret a new resource needs that is not given, as a refusal. */
function checkSecrets(changes: Change[], secrets: Secrets) {
  for (const c of changes)
    if (c.action === "create")
      for (const s of kindOps[c.kind].secrets?.(c.file as never) ?? [])
        if (!secrets.has(s.name))
          throw new StateRefused(
            `${fileOf(c)}: ${s.field}: secret ${s.name} is not given (--secrets FILE): apply does not invent secrets`,
          );
}

/** Applies the changes, calling done after each; the first refusal is thrown. */
export async function applyPlan(
  api: Api,
  changes: Change[],
  secrets: Secrets,
  done: (c: Change) => void,
) {
  checkSecrets(changes, secrets);
  let refs: Refs | undefined;
  let kind: string | undefined;
  for (const c of changes) {
    if (c.kind !== kind) {
      refs = await readRefs(api);
      kind = c.kind;
    }
    try {
      await applyOne(api, refs as Refs, c, secrets);
    } catch (e) {
      if (e instanceof ApiError || e instanceof MissingReference) {
        const field = e instanceof MissingReference ? e.field : (e.field ?? "-");
        throw new StateRefused(`${fileOf(c)}: ${field}: ${c.action} refused: ${e.message}`);
      }
      throw e;
    }
    done(c);
  }
}
