import { z } from "zod";

export const pageQuery = {
  limit: z.coerce
    .number({ error: "must be a number" })
    .int("must be an integer")
    .min(1, "must be between 1 and 200")
    .max(200, "must be between 1 and 200")
    .default(50),
  cursor: z
    .string()
    // a sorted list's cursor carries the last row's sort key (a name of up to 253 characters)
    .max(1000, "must be at most 1000 characters")
    .regex(/^[A-Za-z0-9_-]*$/, "must be a cursor returned by a previous page")
    .optional(),
};

/** A `sort` value: a key, ascending, or the key after a "-", descending. */
export type SortOf<K extends string> = K | `-${K}`;

/**
 * A list's `sort` parameter: one of `keys` ("name"), or descending with a leading "-"
 * ("-name"). Without it a list keeps its default order (creation, oldest first).
 */
export const sortQuery = <const K extends string>(keys: readonly [K, ...K[]]) =>
  z
    .enum(keys.flatMap((key) => [key, `-${key}`]) as [SortOf<K>, ...SortOf<K>[]], {
      error: `must be one of ${keys.join(", ")}, each optionally after "-" (descending)`,
    })
    .optional();

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
