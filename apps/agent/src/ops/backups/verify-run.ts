// The agent operation `backup.verify`: a test restore. The artifact goes into a throwaway
// database (steward_verify_<random>) on its server, every table's rows are counted and
// compared with the counts the sidecar recorded at dump time, and the database is dropped
// whatever happened. A damaged artifact or a failing import is an answer (verified: false,
// saying why), not a failed operation.
import type { BackupVerifyInput, BackupVerifyOutput, RowCount } from "@steward/contracts/backups";
import { accessOf } from "../databases/apply.ts";
import type { OpContext } from "../types.ts";
import { openDestination } from "./open.ts";
import { readSidecar, restoreArtifact } from "./restore.ts";
import {
  countRowsIn,
  createEmpty,
  dropDatabase,
  importInto,
  throwawayName,
} from "./restore-database.ts";
import { asFailure, kindProblem } from "./restore-run.ts";

/** Each table of either side with its expected and actual rows, by name. */
export function compareCounts(expected: RowCount[] | undefined, actual: RowCount[]) {
  const names = [...new Set([...(expected ?? []), ...actual].map((c) => c.table))].sort();
  const of = (list: RowCount[] | undefined, name: string) =>
    list?.find((c) => c.table === name)?.rows ?? null;
  return names.map((name) => ({ name, expected: of(expected, name), actual: of(actual, name) }));
}

export async function verifyBackup(
  ctx: OpContext,
  input: BackupVerifyInput,
): Promise<BackupVerifyOutput> {
  const destination = openDestination(input.destination);
  try {
    const metadata = await ctx
      .step("read the sidecar", () => readSidecar(destination, input.artifact))
      .catch((error) => {
        throw asFailure(error);
      });
    const problem = kindProblem(metadata.source, input.engine);
    if (problem) return { verified: false, tables: [], message: problem };
    const access = accessOf(input, ctx.config.databases);
    const name = throwawayName("verify");
    let actual: RowCount[];
    try {
      await ctx.step(`create database ${name}`, () => createEmpty(access, name));
      await ctx.step(`import the artifact into ${name}`, () =>
        restoreArtifact({
          destination,
          name: input.artifact,
          ...(input.privateKey ? { privateKey: input.privateKey } : {}),
          sink: importInto(access, name),
        }),
      );
      actual = await ctx.step(`count the rows of ${name}`, () => countRowsIn(access, name));
    } catch (error) {
      return {
        verified: false,
        tables: [],
        message: `the test restore failed: ${asFailure(error).message}`,
      };
    } finally {
      await ctx
        .step(`drop database ${name}`, () => dropDatabase(access, name))
        .catch((error: Error) =>
          ctx.log("error", `the throwaway database ${name} was not dropped: ${error.message}`),
        );
    }
    const expected = metadata.source.rowCounts;
    const tables = compareCounts(expected, actual);
    if (!expected)
      return {
        verified: false,
        tables,
        message: "the artifact was restored, but its sidecar records no row counts to compare",
      };
    const differing = tables.filter((t) => t.expected !== t.actual);
    return differing.length === 0
      ? {
          verified: true,
          tables,
          message: `restored into a throwaway database: ${tables.length} ${tables.length === 1 ? "table" : "tables"}, every row count as at dump time`,
        }
      : {
          verified: false,
          tables,
          message:
            `row counts differ from the dump's in ${differing.map((t) => t.name).join(", ")}`.slice(
              0,
              1000,
            ),
        };
  } finally {
    await destination.close().catch(() => undefined);
  }
}
