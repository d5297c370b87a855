// Shapes several commands share: a list's filters and paging options, the --yes of a deletion,
// a command that prints one thing it looks up by reference, and a command that removes one
// thing and answers `{ <verb>: <ref> }`.
import { readFileSync } from "node:fs";
import type { Ctx, Services } from "@steward/server/admin";
import type { Command } from "commander";
import { type GlobalOptions, UsageError, withServices } from "../context.ts";
import { print } from "../io.ts";

/** --limit and --cursor on a list command (read back with `pageOptions`). */
export const paging = (command: Command, cursorHelp?: string) =>
  command.option("--limit <n>", "page size", "50").option("--cursor <cursor>", cursorHelp);

/**
 * `<parent> list` with its filter options ([flags, help]), --sort when the API sorts the list
 * (by these keys), and --limit/--cursor.
 */
export function listCommand(
  parent: Command,
  filters: [flags: string, help?: string][] = [],
  sorts?: readonly string[],
) {
  const command = parent.command("list");
  for (const [flags, help] of filters) command.option(flags, help);
  if (sorts)
    command.option("--sort <key>", `${sorts.join(", ")}; after "-" descending (-${sorts[0]})`);
  return paging(command);
}

interface Lookup {
  /** The subcommand and its one argument, e.g. ["show", "<node>", "id or name"]. */
  command: [name: string, argument: string, help?: string];
  description?: string;
  /** Checks the argument before any service starts (naming it when it is refused). */
  ref?: (value: string) => string;
  /** The columns of the printed row (all when none). */
  columns?: string[];
  fetch: (svc: Services, ctx: Ctx, ref: string) => Promise<unknown>;
}

/** `<parent> <name> <ref>`: does one thing to what the reference names and prints the answer. */
export function lookup(parent: Command, g: () => GlobalOptions, spec: Lookup) {
  const [name, argument, help] = spec.command;
  const command = parent.command(name).argument(argument, help);
  if (spec.description) command.description(spec.description);
  command.action(async (value: string) => {
    const ref = spec.ref ? spec.ref(value) : value;
    await withServices(g(), async (svc, ctx) =>
      print(g(), await spec.fetch(svc, ctx, ref), spec.columns),
    );
  });
}

/** Refuses a deletion without --yes. */
export const confirm = (o: { yes?: boolean }, what: string) => {
  if (!o.yes) throw new UsageError(`deleting ${what} cannot be undone; add --yes to confirm`);
};

interface Removal {
  /** The subcommand and its one argument, e.g. ["delete", "<group>", "name or id"]. */
  command: [name: string, argument: string, help?: string];
  /** The key of the answer: `{ deleted: "ops" }`. */
  answer: "deleted" | "revoked" | "removed";
  /** With a noun, the command asks for --yes first ("deleting group ops cannot be undone"). */
  confirmAs?: string;
  remove: (svc: Services, ctx: Ctx, ref: string) => Promise<unknown>;
}

/** `<parent> <name> <ref>`: removes the thing and says so. */
export function removal(parent: Command, g: () => GlobalOptions, spec: Removal) {
  const [name, argument, help] = spec.command;
  const command = parent.command(name).argument(argument, help);
  if (spec.confirmAs) command.option("--yes", "confirm");
  command.action(async (ref: string, o: { yes?: boolean }) => {
    if (spec.confirmAs) confirm(o, `${spec.confirmAs} ${ref}`);
    await withServices(g(), async (svc, ctx) => {
      await spec.remove(svc, ctx, ref);
      print(g(), { [spec.answer]: ref });
    });
  });
}

/** --body, or the file of --body-file ("-": standard input). */
export function bodyOf(o: { body?: string; bodyFile?: string }): string | undefined {
  if (o.body !== undefined && o.bodyFile !== undefined)
    throw new UsageError("--body-file: give --body or --body-file, not both");
  if (o.bodyFile === undefined) return o.body;
  try {
    return readFileSync(o.bodyFile === "-" ? 0 : o.bodyFile, "utf8");
  } catch (e) {
    throw new UsageError(`--body-file: ${(e as Error).message}`);
  }
}
