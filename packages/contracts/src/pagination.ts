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
    .max(200, "must be at most 200 characters")
    .regex(/^[A-Za-z0-9_-]*$/, "must be a cursor returned by a previous page")
    .optional(),
};

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
