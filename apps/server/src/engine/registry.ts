import type { z } from "zod";
import type { HandlerDef } from "./types.ts";

export type Registry = ReturnType<typeof createRegistry>;

/** Task kinds and their handlers. Modules register theirs in their tasks.ts. */
export function createRegistry() {
  const handlers = new Map<string, HandlerDef>();
  return {
    register<S extends z.ZodType>(def: HandlerDef<S>) {
      if (handlers.has(def.kind)) throw new Error(`task kind ${def.kind} is registered twice`);
      if (!/^[a-z][a-z0-9.-]{0,62}$/.test(def.kind)) throw new Error(`bad task kind ${def.kind}`);
      handlers.set(def.kind, def as unknown as HandlerDef);
    },
    get: (kind: string) => handlers.get(kind),
    kinds: () => [...handlers.keys()].sort(),
    all: () => [...handlers.values()],
  };
}
