// `steward backup keygen | export | import`: Steward's own backup (issue 15). The export is one
// artifact in the format of every backup (zstd, AES-256-GCM chunks, the data key wrapped for
// the recipient) with its `.meta.json` beside it: the panel's database, the master key and the
// settings file. Input passes the shared schemas (selfExportInput, selfImportInput) first, so
// a refused flag is named and nothing is read or written.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import {
  identityContent,
  localPath,
  SIDECAR_SUFFIX,
  STDOUT,
  selfExportInput,
  selfImportInput,
} from "@steward/contracts/backups";
import type { Command } from "commander";
import { type GlobalOptions, parse, settingsFrom, UsageError, withServices } from "../context.ts";
import { print } from "../io.ts";

const say = (g: GlobalOptions, value: Record<string, unknown>, lines: string[]) =>
  g.json ? print(g, value) : process.stdout.write(`${lines.join("\n")}\n`);

/** Writes a new file (never over one), naming the flag when it cannot. */
export function writeNewFile(flag: string, file: string, content: string) {
  try {
    writeFileSync(file, content, { mode: 0o600, flag: "wx" });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${flag}: ${code === "EEXIST" ? `${file} exists (never replaced)` : `cannot write ${file} (${code})`}`,
    );
  }
}

export function readIdentity(file: string): string {
  let content: string;
  try {
    content = readFileSync(resolve(file), "utf8");
  } catch (e) {
    throw new UsageError(`--identity: cannot read ${file} (${(e as NodeJS.ErrnoException).code})`);
  }
  return parse(identityContent, content, { input: "--identity" });
}

const stamp = () => new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "");

export function selfBackupCommands(backup: Command, g: () => GlobalOptions) {
  backup
    .command("keygen")
    .description("makes a recipient key pair: the public key for --recipient, the private key once")
    .option("--out <file>", "write the private key to this new file (0600) instead of printing it")
    .action(async (o) => {
      const out =
        o.out === undefined ? undefined : resolve(parse(localPath, o.out, { input: "--out" }));
      const { generateRecipient } = await import("@steward/agent/backups");
      const pair = generateRecipient();
      if (out) writeNewFile("--out", out, `${pair.privateKey}\n`);
      say(g(), out ? { publicKey: pair.publicKey, privateKeyFile: out } : { ...pair }, [
        `public key (give it to --recipient): ${pair.publicKey}`,
        out
          ? `private key written to ${out} (mode 0600)`
          : `private key (shown once): ${pair.privateKey}`,
        "keep the private key apart from the backups: it is the only way to read them",
      ]);
    });
  backup
    .command("export")
    .description("exports Steward (database, master key, settings file) encrypted for a recipient")
    .requiredOption("--recipient <key>", "an X25519 public key in base64 (steward backup keygen)")
    .option(
      "--out <file>",
      "the artifact's file, its .meta.json beside it; - for standard output (with --meta)",
      `steward-${stamp()}.stwbak`,
    )
    .option("--meta <file>", "with --out -: the new file the sidecar is written to")
    .action(async (o) => {
      const input = parse(
        selfExportInput,
        { recipient: o.recipient, out: o.out, meta: o.meta },
        { recipient: "--recipient", out: "--out", meta: "--meta" },
      );
      if (input.out === STDOUT && process.stdout.isTTY)
        throw new UsageError(
          "--out -: standard output is a terminal; redirect it to a file or a pipe",
        );
      const piped = input.out === STDOUT;
      const file = piped ? null : resolve(input.out);
      const sidecar = file ? `${file}${SIDECAR_SUFFIX}` : resolve(input.meta ?? "");
      const name = file ? basename(file) : `steward-${stamp()}.stwbak`;
      const claimed = file ? [file, sidecar] : [sidecar];
      mkdirSync(dirname(sidecar), { recursive: true, mode: 0o700 });
      for (const f of claimed) writeNewFile(piped ? "--meta" : "--out", f, ""); // an existing file is never replaced
      await withServices(g(), async (_svc, ctx, { settings, db }) => {
        const [{ exportSteward }, { openDestination }, { AppError }] = await Promise.all([
          import("@steward/server/self-backup"),
          import("@steward/agent/backups"),
          import("@steward/server/admin"),
        ]);
        const destination = file
          ? openDestination({ kind: "local", nodeId: "local", path: dirname(file) })
          : (await import("./backup-self-stdout.ts")).stdoutDestination(name, sidecar);
        const result = await exportSteward(settings, db, ctx, {
          recipients: [input.recipient],
          name,
          destinations: [{ id: "file", destination }],
        });
        const error = result.error ?? result.destinations[0]?.error;
        if (result.status !== "succeeded" || !result.metadata)
          throw new AppError("INTERNAL", `the export failed: ${error ?? "unknown"}`);
        const { bytes, sha256, source } = result.metadata;
        const summary = {
          file: file ?? STDOUT,
          sidecar,
          bytes,
          sha256,
          database: source.description,
        };
        const lines = [
          `exported ${source.description} to ${file ?? "standard output"} (${bytes} bytes, SHA-256 ${sha256})`,
          file
            ? `with ${basename(sidecar)} beside it: keep both together`
            : `sidecar in ${sidecar}: to import, keep it beside the artifact as <artifact>${SIDECAR_SUFFIX}`,
        ];
        // standard output holds the artifact: what is said goes to standard error
        if (piped)
          process.stderr.write(
            g().json ? `${JSON.stringify(summary, null, 2)}\n` : `${lines.join("\n")}\n`,
          );
        else say(g(), summary, lines);
      }).catch(async (e) => {
        const { rm } = await import("node:fs/promises");
        await Promise.all(claimed.map((f) => rm(f, { force: true })));
        throw e;
      });
    });
  backup
    .command("import")
    .description("restores a Steward export into an empty data directory (and database)")
    .argument("<file>", "the export (its .meta.json beside it)")
    .requiredOption("--identity <file>", "the file holding the recipient's private key")
    .option("--data-dir <dir>", "the data directory to restore into (default: --data's)")
    .option("--force", "replace what the data directory holds")
    .action(async (file, o) => {
      const input = parse(
        selfImportInput,
        { file, identity: o.identity, dataDir: o.dataDir, force: Boolean(o.force) },
        { file: "<file>", identity: "--identity", dataDir: "--data-dir" },
      );
      const privateKey = readIdentity(input.identity);
      const settings = await settingsFrom(
        g(),
        input.dataDir ? { dataDir: resolve(input.dataDir) } : {},
      );
      const { importSteward, recordImport } = await import("@steward/server/self-backup");
      const result = await importSteward(settings, {
        file: resolve(input.file),
        privateKey,
        force: input.force,
      });
      // opened like every command (migrated, the master key checked against it): it works
      await withServices({ ...g(), data: settings.dataDir }, (_svc, ctx, { db }) =>
        recordImport(db, ctx, resolve(input.file), result),
      );
      say(g(), { ...result }, [
        `restored ${result.database} into ${result.dataDir}: ${result.restored.map((f) => basename(f)).join(", ")}`,
        "start it with: steward serve",
      ]);
    });
}
