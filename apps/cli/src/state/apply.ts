// Applies a plan through the API, one resource at a time in the plan's order (each change is
// one of the panel's own transactions, audited as the key's user); the references are read
// again before each kind, so a site finds the account created just before it. The first
// refusal stops it, naming the file and the field the panel named.
import { type Api, ApiError } from "./api.ts";
import { StateRefused } from "./files.ts";
import type { Current, Refs, StateKind } from "./kind.ts";
import { MissingReference } from "./kind.ts";
import { kindOps } from "./kinds/index.ts";
import { type Change, fileOf } from "./plan.ts";
import { readRefs } from "./refs.ts";

async function applyOne(api: Api, refs: Refs, c: Change) {
  const ops = kindOps[c.kind as StateKind];
  const file = c.file as never;
  const current = c.current as Current<never>;
  if (c.action === "create") await ops.create(api, refs, file);
  else if (c.action === "update") await ops.update(api, refs, current, file);
  else await ops.remove(api, current);
}

/** Applies the changes; answers how many were made before a refusal (thrown after). */
export async function applyPlan(api: Api, changes: Change[], done: (c: Change) => void) {
  let refs: Refs | undefined;
  let kind: string | undefined;
  for (const c of changes) {
    if (c.kind !== kind) {
      refs = await readRefs(api);
      kind = c.kind;
    }
    try {
      await applyOne(api, refs as Refs, c);
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
