// `steward state export|plan|apply DIR`: the panel's resources as one YAML file each
// (docs/install.md, "GitOps"). Unlike the admin commands these are clients of a panel's API
// (--panel URL, STEWARD_API_KEY), so they see and change what the key's user may, validated,
// authorized and audited by the panel itself. Exit codes of plan: 0 nothing to change, 2
// changes; a refused file or a refusal of the panel is 1 (so that 2 always means changes).
import type { StateKind } from "@steward/contracts/state";
import type { Command } from "commander";
import type { GlobalOptions } from "../context.ts";
import { fail, oneLineOf } from "../io.ts";
import { ApiError, apiFrom } from "../state/api.ts";
import { applyPlan } from "../state/apply.ts";
import {
  readSecrets,
  readState,
  type StateFiles,
  StateRefused,
  writeState,
} from "../state/files.ts";
import { kindOps, kindOrder } from "../state/kinds/index.ts";
import { fileOf, planState, planText } from "../state/plan.ts";
import { readRefs } from "../state/refs.ts";

interface StateOptions {
  panel?: string;
  prune?: boolean;
  secrets?: string;
}

/** A refusal of a file or of the panel: one line, exit 1. */
async function refusing<T>(g: GlobalOptions, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ApiError)
      fail(g, e.status === 0 ? e.message : `the panel refused: ${e.message}`, 1, e.code);
    if (e instanceof StateRefused) fail(g, e.message, 1, "REFUSED");
    throw e;
  }
}

export function stateCommands(program: Command, g: () => GlobalOptions) {
  const state = program
    .command("state")
    .description("the desired state as files: export, plan and apply a directory of YAML")
    .option("--panel <url>", "the panel's URL (STEWARD_PANEL_URL); the key in STEWARD_API_KEY");
  const panelOf = () => state.opts<StateOptions>().panel;

  state
    .command("export <dir>")
    .description("write every resource the key sees as DIR/<kind>/<name>.yaml")
    .action(async (dir: string) => {
      const api = apiFrom(panelOf());
      await refusing(g(), async () => {
        const refs = await readRefs(api);
        const out: Partial<StateFiles> = {
          node: new Map([...refs.nodes.keys()].map((name) => [name, { name }])),
        };
        for (const kind of kindOrder) {
          try {
            const current = await kindOps[kind].read(api, refs as never);
            (out as Record<StateKind, Map<string, unknown>>)[kind] = new Map(
              [...current].map(([name, c]) => [name, c.file]),
            );
          } catch (e) {
            if (!(e instanceof ApiError && e.status === 403)) throw e;
            process.stderr.write(`steward: ${kind}: not visible to this key, not written\n`);
          }
        }
        const written = writeState(dir, out);
        if (g().json) process.stdout.write(`${JSON.stringify({ dir, files: written })}\n`);
        else process.stdout.write(`${written} files written to ${oneLineOf(dir)}\n`);
      });
    });

  state
    .command("plan <dir>")
    .description("what applying DIR would change; exit 0 when nothing, 2 when something")
    .option("--prune", "also delete what the panel holds and no file names")
    .action(async (dir: string, o: StateOptions) => {
      const api = apiFrom(panelOf());
      const changes = await refusing(g(), async () => {
        const files = readState(dir);
        return (await planState(api, files, o.prune === true)).changes;
      });
      if (g().json) {
        const items = changes.map(({ kind, name, action, fields }) => ({
          file: fileOf({ kind, name }),
          action,
          fields,
        }));
        process.stdout.write(`${JSON.stringify({ changes: items }, null, 2)}\n`);
      } else process.stdout.write(planText(changes));
      process.exitCode = changes.length === 0 ? 0 : 2;
    });

  state
    .command("apply <dir>")
    .description("make the panel match DIR through its API, in dependency order")
    .option("--prune", "also delete what the panel holds and no file names")
    .option("--secrets <file>", "YAML: the secrets new resources need (mailbox/ADDRESS: password)")
    .action(async (dir: string, o: StateOptions) => {
      const api = apiFrom(panelOf());
      await refusing(g(), async () => {
        const files = readState(dir);
        const secrets = readSecrets(o.secrets);
        const { changes } = await planState(api, files, o.prune === true);
        const done: string[] = [];
        await applyPlan(api, changes, secrets, (c) => {
          done.push(`${c.action} ${fileOf(c)}`);
          if (!g().json) process.stdout.write(`${c.action}d ${fileOf(c)}\n`);
        });
        if (g().json) process.stdout.write(`${JSON.stringify({ applied: done }, null, 2)}\n`);
        else if (done.length === 0)
          process.stdout.write("no changes: the panel matches the directory\n");
      });
    });
}
