// `steward backup …`: backups (issue 15). The destinations here: list, show, add (after
// "test destination"), test, remove; sources, plans, runs and artifacts in backup-plans.ts. Input passes the API's own schemas
// (backupDestinationCreate, backupDestinationListQuery), so the CLI refuses what the API
// refuses, naming the option. A secret (S3's secret key, the FTP or SFTP password) is read
// from STEWARD_BACKUP_SECRET, an SSH private key (or an FTPS server's CA) from a file and the
// key's passphrase from STEWARD_BACKUP_PASSPHRASE, never from the command line.
import { v } from "@steward/contracts";
import {
  backupDestinationCreate,
  backupDestinationListQuery,
  type DestinationTest,
} from "@steward/contracts/backups";
import type { Command } from "commander";
import {
  accountIdOf,
  type GlobalOptions,
  nodeIdOf,
  pageOptions,
  parse,
  readOption,
  withServices,
} from "../context.ts";
import { print } from "../io.ts";
import { destinationExplorerCommands } from "./backup-explorer.ts";
import { backupPlanCommands } from "./backup-plans.ts";
import { selfBackupCommands } from "./backup-self.ts";
import { listCommand, lookup, removal } from "./shapes.ts";

const COLUMNS = ["id", "name", "kind", "accountId"];
const idArg = (value: string) => parse(v.id, value, { input: "<id>" });
export const SECRET_ENV = "STEWARD_BACKUP_SECRET";
const PASSPHRASE_ENV = "STEWARD_BACKUP_PASSPHRASE";

const CREATE_OPTIONS = {
  name: "--name",
  accountId: "--account",
  saveAnyway: "--save-anyway",
  settings: "--kind",
  "settings.kind": "--kind",
  "settings.nodeId": "--node",
  "settings.path": "--path",
  "settings.endpoint": "--endpoint",
  "settings.region": "--region",
  "settings.bucket": "--bucket",
  "settings.prefix": "--prefix",
  "settings.forcePathStyle": "--virtual-hosted",
  "settings.accessKeyId": "--access-key-id",
  "settings.secretAccessKey": SECRET_ENV,
  "settings.host": "--host",
  "settings.port": "--port",
  "settings.username": "--username",
  "settings.password": SECRET_ENV,
  "settings.privateKey": "--private-key-file",
  "settings.passphrase": PASSPHRASE_ENV,
  "settings.hostKey": "--host-key",
  "settings.tls": "--tls",
  "settings.ca": "--ca-file",
};

function printTest(g: GlobalOptions, test: DestinationTest) {
  if (g.json) return print(g, test);
  const line = test.ok
    ? "ok: wrote, read back and deleted a probe object"
    : `failed (${test.step}): ${test.message}`;
  process.stdout.write(`${line}\n`);
}

/** The settings of one kind from the options given (absent ones left to the schema). */
function settingsOf(o: Record<string, string | boolean | undefined>) {
  const secret = process.env[SECRET_ENV];
  const defined = (entries: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
  const remote = { host: o.host, port: o.port, username: o.username, path: o.path };
  switch (o.kind) {
    case "local":
      return defined({ kind: "local", nodeId: o.node, path: o.path });
    case "s3":
      return defined({
        kind: "s3",
        endpoint: o.endpoint,
        region: o.region,
        bucket: o.bucket,
        prefix: o.prefix,
        forcePathStyle: o.virtualHosted ? false : undefined,
        accessKeyId: o.accessKeyId,
        secretAccessKey: secret,
      });
    case "sftp":
      return defined({
        kind: "sftp",
        ...remote,
        password: secret,
        privateKey: readOption("--private-key-file", o.privateKeyFile as string | undefined),
        passphrase: process.env[PASSPHRASE_ENV],
        hostKey: o.hostKey,
      });
    default:
      return defined({
        kind: o.kind,
        ...remote,
        password: secret,
        tls: o.tls,
        ca: readOption("--ca-file", o.caFile as string | undefined),
      });
  }
}

export function backupCommands(program: Command, g: () => GlobalOptions) {
  const backup = program
    .command("backup")
    .description(
      "backups: destinations, sources, plans, runs and artifacts; Steward's own export and import",
    );
  backupPlanCommands(backup, g);
  selfBackupCommands(backup, g);
  const destination = backup
    .command("destination")
    .description("where backups go: a node's directory, S3-compatible, SFTP, FTP/FTPS");
  listCommand(destination, [["--account <account>", "id or slug"]], ["name", "createdAt"]).action(
    async (o) => {
      const f = parse(
        backupDestinationListQuery,
        { account: o.account, sort: o.sort },
        { account: "--account", sort: "--sort" },
      );
      await withServices(g(), async (svc, ctx) => {
        const account = await accountIdOf(svc, ctx, f.account);
        print(g(), await svc.backups.list(ctx, { ...f, account, ...pageOptions(o) }), COLUMNS);
      });
    },
  );
  lookup(destination, g, {
    command: ["show", "<id>"],
    ref: idArg,
    fetch: (svc, ctx, ref) => svc.backups.get(ctx, ref),
  });
  destination
    .command("add")
    .description(`adds a destination after testing it (secret or password in ${SECRET_ENV})`)
    .requiredOption("--name <name>", "a label")
    .requiredOption("--kind <kind>", "local, s3, sftp or ftp")
    .option("--account <account>", "id or slug (none: a shared destination)")
    .option("--node <node>", "local: the node (id or name)")
    .option(
      "--path <path>",
      "local: an absolute directory; sftp, ftp: a directory under the user's root",
    )
    .option("--endpoint <url>", "s3: http(s)://host[:port]")
    .option("--region <region>", "s3: the region (us-east-1)")
    .option("--bucket <bucket>", "s3: the bucket")
    .option("--prefix <prefix>", "s3: a key prefix")
    .option("--virtual-hosted", "s3: bucket.host addressing instead of path-style")
    .option("--access-key-id <id>", "s3: the access key id")
    .option("--host <host>", "sftp, ftp: host name or address")
    .option("--port <port>", "sftp, ftp: port")
    .option("--username <user>", "sftp, ftp: the user")
    .option(
      "--private-key-file <file>",
      "sftp: an OpenSSH private key file (its passphrase, if any, in STEWARD_BACKUP_PASSPHRASE)",
    )
    .option("--host-key <fingerprint>", "sftp: the server's key, SHA256:… (ssh-keygen -lf)")
    .option("--tls <mode>", "ftp: none, explicit or implicit", "explicit")
    .option("--ca-file <file>", "ftp: the CA certificate (PEM) of the FTPS server's certificate")
    .option("--save-anyway", "keep the destination even when its test fails")
    .action(async (o) => {
      const input = parse(
        backupDestinationCreate,
        {
          name: o.name,
          settings: settingsOf(o),
          ...(o.account ? { accountId: o.account } : {}),
          saveAnyway: Boolean(o.saveAnyway),
        },
        CREATE_OPTIONS,
      );
      await withServices(g(), async (svc, ctx) => {
        const accountId = (await accountIdOf(svc, ctx, input.accountId ?? undefined)) ?? null;
        const s = input.settings;
        const settings = "nodeId" in s ? { ...s, nodeId: await nodeIdOf(svc, ctx, s.nodeId) } : s;
        const made = await svc.backups.create(ctx, { ...input, accountId, settings });
        if (g().json) return print(g(), made);
        print(g(), made, COLUMNS);
        if (made.lastTest) printTest(g(), made.lastTest);
      });
    });
  destination
    .command("test")
    .description("tests a destination now: writes, reads back and deletes a probe object")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => printTest(g(), await svc.backups.test(ctx, ref)));
    });
  destinationExplorerCommands(destination, g);
  removal(destination, g, {
    command: ["remove", "<id>", "id"],
    answer: "removed",
    confirmAs: "destination",
    remove: (svc, ctx, ref) => svc.backups.remove(ctx, idArg(ref)),
  });
}
