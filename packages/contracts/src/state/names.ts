// What a state file's name may be at all, before its content is read, and the name of a
// resource named by a free label.
import { z } from "zod";

/** A file's name (without `.yaml`): what a name may be at all, before its content is read. */
export const stateFileName = z
  .string()
  .max(250, "must be at most 250 characters (a file name is at most 255 bytes)")
  .regex(/^[a-z0-9][a-z0-9@._+-]*$/, "must be lowercase letters, digits and @ . _ + -")
  .refine((s) => !s.includes(".."), "must not contain ..");

/**
 * The file name of a resource named by a free label (a database server's "Main MariaDB"):
 * lowercase letters and digits, every other run of characters one `-` (`main-mariadb`).
 */
export const labelFileName = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 200);

/** `shop--alerts` (account and name) for what is named within an account, or the name alone. */
export const scopedFileName = (r: { account: string | null; name: string }) =>
  r.account === null ? labelFileName(r.name) : `${r.account}--${labelFileName(r.name)}`;

/** A secret's reference in a file (`{secret: NAME}`): its value comes from `--secrets FILE`. */
export const secretRef = z.strictObject({ secret: z.string().max(300) });
