// The desired state as files (`steward state`, docs/install.md "GitOps"): the schema of each
// kind's YAML file, with the API's own validators, and the name each file must be saved
// under. A file names what it refers to (a site's node and account), never an id; it holds no
// timestamp, status or secret. Every schema is strict: an unknown key is refused by name.
import { z } from "zod";
import { role } from "../access.ts";
import { siteAliases, siteDomains, siteKind, wwwRedirect } from "../agent/sites.ts";
import { nodeName } from "../api/nodes.ts";
import { type DnsRecord, recordInput } from "../dns/records.ts";
import { checkZone, zoneName } from "../dns/zone.ts";
import { mailboxMode } from "../mail/autoresponder.ts";
import { mailAddress, mailDomain, quotaMb } from "../mail/names.ts";
import { email, label, relativePath, slug, text, upstream } from "../validators.ts";
import { type AppFile, appFile, appFileName } from "./apps.ts";
import {
  type BackupPlanFile,
  type BackupSourceFile,
  backupPlanFile,
  backupSourceFile,
} from "./backup-plans.ts";
import { type DestinationFile, destinationFile } from "./backups.ts";
import { type ChannelFile, channelFile } from "./channels.ts";
import { type CrontabFile, crontabFile, crontabName } from "./cron.ts";
import {
  type DatabaseFile,
  type DatabaseUserFile,
  databaseFile,
  databaseUserFile,
  onServer,
} from "./database-items.ts";
import { type DatabaseServerFile, databaseServerFile } from "./databases.ts";
import { type MailAliasFile, mailAliasFile, mailAliasName } from "./mail.ts";
import { type MonitorFile, monitorFile, monitorName } from "./monitors.ts";
import { labelFileName, scopedFileName } from "./names.ts";
import { type RuleFile, ruleFile } from "./rules.ts";
import { type StatusPageFile, statusPageFile } from "./status-pages.ts";
import { type SystemUserFile, systemUserFile, systemUserName } from "./system-users.ts";

export const accountFile = z.strictObject({ slug, name: label(100) });

export const groupFile = z.strictObject({ name: slug, description: text(500).default("") });

/** Who holds a grant: a group by name or a user by email (users are referenced, not made). */
const principal = z.union([z.strictObject({ group: slug }), z.strictObject({ user: email })]);
/** Where it applies: everywhere, or one account by slug. */
const grantScope = z.union([z.literal("global"), z.strictObject({ account: slug })]);
export const grantFile = z.strictObject({
  principal,
  scope: grantScope,
  role: role.exclude(["none"]),
});

/** A node is referenced, not made (enrollment needs a token): its file says it must exist. */
export const nodeFile = z.strictObject({ name: nodeName });

export const siteFile = z
  .strictObject({
    account: slug,
    node: nodeName,
    kind: siteKind,
    domains: siteDomains,
    aliases: siteAliases.default([]),
    redirect: wwwRedirect.default("none"),
    root: relativePath.default("public"),
    upstream: upstream.optional(),
    phpAllowExec: z.boolean().default(false),
  })
  .refine((s) => s.kind !== "proxy" || s.upstream !== undefined, {
    message: "is required for a proxy site",
    path: ["upstream"],
  })
  .refine((s) => s.kind === "proxy" || s.upstream === undefined, {
    message: "is only for proxy sites",
    path: ["upstream"],
  });

const recordKey = (r: DnsRecord) => [r.name, r.type, String(r.ttl), r.value].join("\u0000");
/** A zone's records as its file holds them: only their four fields, in one order. */
export const sortedRecords = (records: readonly DnsRecord[]): DnsRecord[] =>
  records
    .map(({ name, type, ttl, value }) => ({ name, type, ttl, value }))
    .sort((a, b) => (recordKey(a) < recordKey(b) ? -1 : recordKey(a) > recordKey(b) ? 1 : 0));

/**
 * A zone served by a node. Its records are checked as the panel checks them (checkZone: each
 * value for its type, one CNAME per name, an NS at the apex…) and kept canonical and sorted,
 * so a file that says the same in other words (`10 mail`) plans no change.
 */
export const zoneFile = z
  .strictObject({
    name: zoneName,
    account: slug,
    node: nodeName,
    records: z.array(recordInput).max(20000).default([]),
  })
  .transform((zone, ctx) => {
    const checked = checkZone(zone.name, zone.records);
    for (const issue of checked.issues.slice(0, 1))
      ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    return { ...zone, records: sortedRecords(checked.records ?? []) };
  });

export const mailDomainFile = z.strictObject({ name: mailDomain, account: slug, node: nodeName });

/** The name of the secret holding a mailbox's password in a secrets file (`--secrets`). */
export const mailboxSecret = (address: string) => `mailbox/${address}`;

/**
 * A mailbox: its password is never exported (the panel keeps only a hash and never answers
 * it); the file names the secret apply takes it from, `mailbox/<address>`.
 */
export const mailboxFile = z
  .strictObject({
    address: mailAddress,
    quotaMb: quotaMb.default(0),
    enabled: z.boolean().default(true),
    mode: mailboxMode.default("both"),
    password: z.strictObject({ secret: z.string().max(300) }),
  })
  .refine((m) => m.password.secret === mailboxSecret(m.address), {
    message: "must be { secret: mailbox/<address> }",
    path: ["password", "secret"],
  });

/** `--secrets FILE`: secret names (`mailbox/info@shop.example`) and their values. */
export const secretsFile = z.record(
  z.string().max(300, "must be at most 300 characters"),
  z.string().min(1, "must not be empty").max(4096, "must be at most 4096 characters"),
);

export type AccountFile = z.infer<typeof accountFile>;
export type GroupFile = z.infer<typeof groupFile>;
export type GrantFile = z.infer<typeof grantFile>;
export type NodeFile = z.infer<typeof nodeFile>;
export type SiteFile = z.infer<typeof siteFile>;
export type ZoneFile = z.infer<typeof zoneFile>;
export type MailDomainFile = z.infer<typeof mailDomainFile>;
export type MailboxFile = z.infer<typeof mailboxFile>;

/** A grant's file name: its principal and scope (`group-ops--account-shop`, `user-a@b.example--global`). */
export function grantName(g: GrantFile): string {
  const who = "group" in g.principal ? `group-${g.principal.group}` : `user-${g.principal.user}`;
  const where = g.scope === "global" ? "global" : `account-${g.scope.account}`;
  return `${who}--${where}`;
}

/**
 * Each kind: its directory under the state directory, its file schema, and the name its file
 * must have (a file whose name is not its content's is refused: no `../`, no two files for one
 * resource). In dependency order: what a kind refers to comes before it.
 */
export const stateKinds = {
  account: { schema: accountFile, nameOf: (f: AccountFile) => f.slug },
  group: { schema: groupFile, nameOf: (f: GroupFile) => f.name },
  grant: { schema: grantFile, nameOf: grantName },
  node: { schema: nodeFile, nameOf: (f: NodeFile) => f.name },
  zone: { schema: zoneFile, nameOf: (f: ZoneFile) => f.name },
  site: { schema: siteFile, nameOf: (f: SiteFile) => f.domains[0] ?? "" },
  "mail-domain": { schema: mailDomainFile, nameOf: (f: MailDomainFile) => f.name },
  mailbox: { schema: mailboxFile, nameOf: (f: MailboxFile) => f.address },
  "mail-alias": { schema: mailAliasFile, nameOf: (f: MailAliasFile) => mailAliasName(f) },
  "database-server": {
    schema: databaseServerFile,
    nameOf: (f: DatabaseServerFile) => labelFileName(f.name),
  },
  database: { schema: databaseFile, nameOf: (f: DatabaseFile) => onServer(f) },
  "database-user": { schema: databaseUserFile, nameOf: (f: DatabaseUserFile) => onServer(f) },
  monitor: { schema: monitorFile, nameOf: (f: MonitorFile) => monitorName(f) },
  "status-page": { schema: statusPageFile, nameOf: (f: StatusPageFile) => f.slug },
  channel: { schema: channelFile, nameOf: (f: ChannelFile) => scopedFileName(f) },
  "notification-rule": { schema: ruleFile, nameOf: (f: RuleFile) => scopedFileName(f) },
  "backup-destination": {
    schema: destinationFile,
    nameOf: (f: DestinationFile) => scopedFileName(f),
  },
  "backup-source": { schema: backupSourceFile, nameOf: (f: BackupSourceFile) => scopedFileName(f) },
  "backup-plan": { schema: backupPlanFile, nameOf: (f: BackupPlanFile) => scopedFileName(f) },
  "system-user": { schema: systemUserFile, nameOf: (f: SystemUserFile) => systemUserName(f) },
  crontab: { schema: crontabFile, nameOf: (f: CrontabFile) => crontabName(f) },
  app: { schema: appFile, nameOf: (f: AppFile) => appFileName(f) },
} as const;
export type StateKind = keyof typeof stateKinds;
export const stateKindNames = Object.keys(stateKinds) as StateKind[];
export type StateFileOf<K extends StateKind> = z.infer<(typeof stateKinds)[K]["schema"]>;
