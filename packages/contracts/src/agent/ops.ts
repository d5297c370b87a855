// The operations an agent performs: name, version and input schema. The panel sends only
// these (from tasks); the agent refuses anything else. A new capability adds its operation
// here, its handler under apps/agent/src/ops/, and a task on the panel that sends it.
import { z } from "zod";
import {
  backupRestoreInput,
  backupRestoreOutput,
  backupVerifyInput,
  backupVerifyOutput,
} from "../backups/restore.ts";
import { backupRunInput, backupRunOutput } from "../backups/run.ts";
import { databaseApplyInput, databaseApplyOutput } from "../databases/actions.ts";
import { databaseQueryInput, databaseQueryOutput } from "../databases/query.ts";
import { sysUsersApplyInput, sysUsersApplyOutput } from "../hosting/agent.ts";
import { cronApplyInput, cronApplyOutput, cronRunInput, cronRunOutput } from "../hosting/cron.ts";
import { cronCollectInput, cronCollectOutput } from "../hosting/cron-runs.ts";
import { ftpTlsInput, ftpTlsOutput } from "../hosting/ftp-tls.ts";
import { sysUsersUsageInput, sysUsersUsageOutput } from "../hosting/usage.ts";
import {
  backupDestinationDeleteInput,
  backupDestinationDeleteOutput,
  backupDestinationListInput,
  backupDestinationListOutput,
  backupDestinationTestInput,
  backupDestinationTestOutput,
} from "./backup-destination.ts";
import {
  composeBuildInput,
  composeBuildOutput,
  containerBuildInput,
  containerBuildOutput,
  containerRetireInput,
  containerRetireOutput,
} from "./build.ts";
import {
  certChallengeInput,
  certInstallInput,
  certInstallOutput,
  certRequestInput,
  certRequestOutput,
} from "./certs.ts";
import {
  composeActionInput,
  composeActionOutput,
  composeDownInput,
  composeDownOutput,
  composeUpInput,
  composeUpOutput,
} from "./compose.ts";
import {
  containerActionInput,
  containerActionOutput,
  containerDeployInput,
  containerDeployOutput,
  containerListInput,
  containerListOutput,
  containerLogsInput,
  containerLogsOutput,
  containerStatsInput,
  containerStatsOutput,
  engineDiskUsageOutput,
  enginePruneOutput,
  pruneTargets,
} from "./containers.ts";
import {
  dnsZoneApplyInput,
  dnsZoneApplyOutput,
  dnsZoneRemoveInput,
  dnsZoneSecondaryInput,
  dnsZoneSecondaryOutput,
} from "./dns.ts";
import {
  firewallApplyInput,
  firewallApplyOutput,
  firewallConfirmInput,
  firewallConfirmOutput,
  firewallReadOutput,
  firewallUnblockInput,
  firewallUnblockOutput,
} from "./firewall.ts";
import { mailApplyInput, mailApplyOutput, mailUsageInput, mailUsageOutput } from "./mail.ts";
import { mailDkimInput, mailDkimOutput } from "./mail-dkim.ts";
import { mailJunkExpungeInput, mailJunkExpungeOutput } from "./mail-spam.ts";
import { monitorCheckInput, monitorCheckOutput } from "./monitors.ts";
import {
  siteApplyInput,
  siteApplyOutput,
  siteMigrateInput,
  siteMigrateOutput,
  siteRemoveInput,
} from "./sites.ts";
import { tunnelIngressInput, tunnelIngressOutput } from "./tunnels.ts";
import { agentUpgradeInput, agentUpgradeOutput } from "./upgrade.ts";

export interface OpContract<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  name: string;
  version: number;
  input: I;
  output: O;
  description: string;
  /**
   * The request body's limit in bytes, for an operation that carries a node's whole state
   * (the agent's default is 1 MiB)
   */
  maxBodyBytes?: number;
}

const op = <I extends z.ZodType, O extends z.ZodType>(c: OpContract<I, O>) => c;

export const operations = {
  /** does nothing but run the framework's steps (for checks and tests) */
  "system.ping": op({
    name: "system.ping",
    version: 1,
    description: "answers with the agent's time; checks the operation path end to end",
    input: z.strictObject({ message: z.string().max(200).optional() }),
    output: z.object({ at: z.string(), message: z.string().optional() }),
  }),
  "site.apply": op({
    name: "site.apply",
    version: 1,
    description: "creates or changes a website on nginx (and its PHP-FPM pool)",
    input: siteApplyInput,
    output: siteApplyOutput,
  }),
  "site.remove": op({
    name: "site.remove",
    version: 1,
    description: "removes a website's configuration (and optionally its files)",
    input: siteRemoveInput,
    output: z.object({}),
  }),
  "site.migrate-layout": op({
    name: "site.migrate-layout",
    version: 1,
    description:
      "moves a website's files into its account's layout (PHP as the account's CGI user), verifying it answers the same, or moves it back",
    input: siteMigrateInput,
    output: siteMigrateOutput,
  }),
  "cert.request": op({
    name: "cert.request",
    version: 1,
    description: "makes a new private key for a site's certificate on the node and answers its CSR",
    input: certRequestInput,
    output: certRequestOutput,
  }),
  "cert.challenge": op({
    name: "cert.challenge",
    version: 1,
    description: "places or removes http-01 challenge answers nginx serves on port 80",
    input: certChallengeInput,
    output: z.object({}),
  }),
  "cert.install": op({
    name: "cert.install",
    version: 1,
    description: "installs a signed certificate chain next to its pending key and reloads nginx",
    input: certInstallInput,
    output: certInstallOutput,
  }),
  "dns.zone.apply": op({
    name: "dns.zone.apply",
    version: 1,
    description: "serves an authoritative zone as given (BIND or PowerDNS, as the node is set up)",
    input: dnsZoneApplyInput,
    output: dnsZoneApplyOutput,
  }),
  "dns.zone.secondary": op({
    name: "dns.zone.secondary",
    version: 1,
    description:
      "serves a zone as a secondary of other nodes' servers (AXFR, NOTIFY); dns.zone.remove ends it",
    input: dnsZoneSecondaryInput,
    output: dnsZoneSecondaryOutput,
  }),
  "dns.zone.remove": op({
    name: "dns.zone.remove",
    version: 1,
    description: "stops serving a zone and removes it from the node's DNS server",
    input: dnsZoneRemoveInput,
    output: z.object({}),
  }),
  "monitor.check": op({
    name: "monitor.check",
    version: 1,
    description: "runs a batch of monitors' checks from this node under its outbound policy",
    input: monitorCheckInput,
    output: monitorCheckOutput,
  }),
  "database.apply": op({
    name: "database.apply",
    version: 1,
    description:
      "runs one database action (test, inventory, create/drop a database or user, grant, rotate) on the node's own MariaDB or PostgreSQL, or on an external server from the node",
    input: databaseApplyInput,
    output: databaseApplyOutput,
  }),
  "backup.restore": op({
    name: "backup.restore",
    version: 1,
    description:
      "restores a backup artifact from a destination into a path or a database (the same, a renamed one, another server), or lists what it would change (dry run)",
    input: backupRestoreInput,
    output: backupRestoreOutput,
  }),
  "backup.verify": op({
    name: "backup.verify",
    version: 1,
    description:
      "test-restores a database artifact into a throwaway database on its server, compares per-table row counts with the sidecar's, drops it",
    input: backupVerifyInput,
    output: backupVerifyOutput,
  }),
  "database.query": op({
    name: "database.query",
    version: 1,
    description:
      "runs one SQL console statement as a database's own user on the node's own MariaDB or PostgreSQL (or an external server from the node) and answers one page of its rows",
    input: databaseQueryInput,
    output: databaseQueryOutput,
  }),
  "backup.destination.test": op({
    name: "backup.destination.test",
    version: 1,
    description:
      "tests a backup destination in a directory of the node: writes, reads back, compares and deletes a probe object",
    input: backupDestinationTestInput,
    output: backupDestinationTestOutput,
  }),
  "backup.destination.list": op({
    name: "backup.destination.list",
    version: 1,
    description:
      "lists one page of a backup destination's objects (name, size, time) with their sidecars or why they have none; with names, those artifacts and their SHA-256",
    input: backupDestinationListInput,
    output: backupDestinationListOutput,
  }),
  "backup.destination.delete": op({
    name: "backup.destination.delete",
    version: 1,
    description: "deletes backup artifacts and their sidecars from a destination",
    input: backupDestinationDeleteInput,
    output: backupDestinationDeleteOutput,
  }),
  "backup.run": op({
    name: "backup.run",
    version: 1,
    description:
      "reads one backup source on the node and streams it (zstd, optionally encrypted) into every destination at once, logging its progress",
    input: backupRunInput,
    output: backupRunOutput,
  }),
  "container.deploy": op({
    name: "container.deploy",
    version: 1,
    description:
      "creates and starts an app's container from a local image (env, ports on free host ports, volumes in the app's directory, limits, health check) and waits until it is healthy",
    input: containerDeployInput,
    output: containerDeployOutput,
  }),
  "container.action": op({
    name: "container.action",
    version: 1,
    description:
      "starts, stops (keeping them), restarts or removes an app's containers (optionally with its volumes)",
    input: containerActionInput,
    output: containerActionOutput,
  }),
  "container.build": op({
    name: "container.build",
    version: 1,
    description:
      "clones an app's git repository at a ref under the outbound policy and builds its Dockerfile through the engine (build output streamed to the log)",
    input: containerBuildInput,
    output: containerBuildOutput,
  }),
  "compose.build": op({
    name: "compose.build",
    version: 1,
    description:
      "clones an app's git repository at a ref under the outbound policy, checks its compose file and builds the services with build: through the engine (build output streamed to the log); answers the file to bring up",
    input: composeBuildInput,
    output: composeBuildOutput,
  }),
  "container.retire": op({
    name: "container.retire",
    version: 1,
    description:
      "removes an app's containers of every deployment but the one kept (volumes kept): the switch of a zero-downtime redeploy",
    input: containerRetireInput,
    output: containerRetireOutput,
  }),
  "container.list": op({
    name: "container.list",
    version: 1,
    description: "lists the engine's containers (all, or an app's), running and stopped",
    input: containerListInput,
    output: containerListOutput,
  }),
  "container.logs": op({
    name: "container.logs",
    version: 1,
    description: "the last lines of an app's containers' logs (since a time)",
    input: containerLogsInput,
    output: containerLogsOutput,
  }),
  "container.stats": op({
    name: "container.stats",
    version: 1,
    description: "CPU, memory and network counters of the running containers (all, or an app's)",
    input: containerStatsInput,
    output: containerStatsOutput,
  }),
  "compose.up": op({
    name: "compose.up",
    version: 1,
    description:
      "writes an app's compose file (checked again) into its directory and runs docker-compose up against the engine's socket; waits until every container runs",
    input: composeUpInput,
    output: composeUpOutput,
  }),
  "compose.down": op({
    name: "compose.down",
    version: 1,
    description:
      "docker-compose down of an app's project: its containers and network, with its volumes and directory when asked",
    input: composeDownInput,
    output: composeDownOutput,
  }),
  "compose.action": op({
    name: "compose.action",
    version: 1,
    description: "docker-compose start, stop (the containers stay) or restart of an app's project",
    input: composeActionInput,
    output: composeActionOutput,
  }),
  "engine.disk-usage": op({
    name: "engine.disk-usage",
    version: 1,
    description: "the container engine's disk usage: images, containers, volumes, build cache",
    input: z.strictObject({}),
    output: engineDiskUsageOutput,
  }),
  "engine.prune": op({
    name: "engine.prune",
    version: 1,
    description:
      "removes stopped containers, unused images, unused volumes and build cache as asked; answers the bytes freed",
    input: pruneTargets,
    output: enginePruneOutput,
  }),
  "tunnel.ingress": op({
    name: "tunnel.ingress",
    version: 1,
    description:
      "reads, or adds or removes one hostname of, the node's cloudflared ingress (catch-all kept last, validated, backed up, restarted; restored on failure)",
    input: tunnelIngressInput,
    output: tunnelIngressOutput,
  }),
  "sysusers.apply": op({
    name: "sysusers.apply",
    version: 1,
    description:
      "makes one account's system users on the node as given: main, CGI and secondary users, homes, passwords, SSH keys, the sshd include (sshd -t before the reload) and pure-ftpd's virtual users",
    input: sysUsersApplyInput,
    output: sysUsersApplyOutput,
  }),
  "agent.upgrade": op({
    name: "agent.upgrade",
    version: 1,
    description:
      "the single-file agent downloads a version from its panel, checks its SHA-256 and that it runs, swaps it in (keeping the previous) and restarts into it; an upgrade it does not confirm rolls back",
    input: agentUpgradeInput,
    output: agentUpgradeOutput,
  }),
  "mail.apply": op({
    name: "mail.apply",
    version: 1,
    description:
      "makes the node's Postfix and Dovecot serve its mail domains, mailboxes and aliases as given (Steward's own maps and passwd-file, checked, reloaded, proven at RCPT)",
    input: mailApplyInput,
    output: mailApplyOutput,
    // a mailbox is ~210 bytes of JSON with its hash: 1 MiB held ~4,900; 200,000 need ~42 MiB
    maxBodyBytes: 64 * 1024 * 1024,
  }),
  "mail.dkim": op({
    name: "mail.dkim",
    version: 1,
    description:
      "makes the node's DKIM keys as given (a missing key made on the node, RSA 2048, its private part never leaving it), writes OpenDKIM's KeyTable and SigningTable (Steward's own), checks the configuration (opendkim -n) and reloads OpenDKIM; answers each key's public part",
    input: mailDkimInput,
    output: mailDkimOutput,
  }),
  "mail.usage": op({
    name: "mail.usage",
    version: 1,
    description:
      "reads what each of Steward's mailboxes on the node holds and its quota (doveadm quota get), changing nothing",
    input: mailUsageInput,
    output: mailUsageOutput,
  }),
  "mail.junk.expunge": op({
    name: "mail.junk.expunge",
    version: 1,
    description:
      "removes from each given mail domain's Junk folders the messages older than its days (doveadm expunge, by the date a message arrived)",
    input: mailJunkExpungeInput,
    output: mailJunkExpungeOutput,
  }),
  "firewall.apply": op({
    name: "firewall.apply",
    version: 1,
    description:
      "renders and applies the node's Steward nftables table atomically (checked with nft -c first); reverts by itself unless firewall.confirm arrives in time",
    input: firewallApplyInput,
    output: firewallApplyOutput,
  }),
  "firewall.confirm": op({
    name: "firewall.confirm",
    version: 1,
    description: "keeps a pending firewall.apply (the panel reached the agent again)",
    input: firewallConfirmInput,
    output: firewallConfirmOutput,
  }),
  "firewall.read": op({
    name: "firewall.read",
    version: 1,
    description:
      "reports the node's Steward nftables table, its blocked addresses and any pending apply",
    input: z.strictObject({}),
    output: firewallReadOutput,
  }),
  "firewall.unblock": op({
    name: "firewall.unblock",
    version: 1,
    description: "takes an address out of the firewall's blocked set",
    input: firewallUnblockInput,
    output: firewallUnblockOutput,
  }),
  "cron.apply": op({
    name: "cron.apply",
    version: 1,
    description:
      "writes one account's /etc/cron.d/steward-<account> (atomically, 0644 root): each job's line runs as one of the account's system users, never root; no jobs removes the file",
    input: cronApplyInput,
    output: cronApplyOutput,
  }),
  "cron.run": op({
    name: "cron.run",
    version: 1,
    description:
      "runs one cron job's command now as the account's system user (setpriv, never root), answering its exit status and the end of its output",
    input: cronRunInput,
    output: cronRunOutput,
  }),
  "cron.collect": op({
    name: "cron.collect",
    version: 1,
    description:
      "answers the scheduled cron runs the agent's cron-exec kept in its root-only spool (oldest first) and removes the ones acknowledged",
    input: cronCollectInput,
    output: cronCollectOutput,
  }),
  "ftp.tls": op({
    name: "ftp.tls",
    version: 1,
    description:
      "writes the certificate installed for a site on the node (key + chain, 0600) as pure-ftpd's TLS certificate, restarts pure-ftpd and checks AUTH TLS serves it",
    input: ftpTlsInput,
    output: ftpTlsOutput,
  }),
  "sysusers.usage": op({
    name: "sysusers.usage",
    version: 1,
    description:
      "measures what an account's system users hold on the node: a bounded walk of each home (lstat only, hard links once) and the user quota when the filesystem has quotas on",
    input: sysUsersUsageInput,
    output: sysUsersUsageOutput,
  }),
} as const;

export type OperationName = keyof typeof operations;
export type OpInput<N extends OperationName> = z.infer<(typeof operations)[N]["input"]>;
export type OpOutput<N extends OperationName> = z.infer<(typeof operations)[N]["output"]>;
