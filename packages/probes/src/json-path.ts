// The value at a path of a JSON document ($.a.b[0].c), as the HTTP probe's "JSON path equals"
// reads it: own properties only, undefined when any step is missing.
const STEP = /\.([A-Za-z_$][A-Za-z0-9_$-]*)|\[([0-9]+)\]/g;

export function jsonAt(document: unknown, path: string): unknown {
  let here: unknown = document;
  for (const [, key, index] of path.slice(1).matchAll(STEP)) {
    if (here === null || typeof here !== "object") return undefined;
    const step = key ?? Number(index);
    if (Array.isArray(here) !== (key === undefined)) return undefined;
    if (!Object.hasOwn(here, step)) return undefined;
    here = (here as Record<string | number, unknown>)[step];
  }
  return here;
}

/** A JSON value as text for comparing with what a user typed: strings as they are. */
export const asText = (value: unknown) =>
  typeof value === "string" ? value : value === undefined ? "(nothing)" : JSON.stringify(value);
