// The command table of `steward`: each top-level command, its one-line description (the one
// place it is written) and the module that defines it. A module is imported only when its
// command runs or its own help is asked for, so `steward --help` and `steward --version`
// load commander and this file, never the server, better-auth, pino or the API's schemas.
import type { Command } from "commander";
import type { GlobalOptions } from "../context.ts";

export type Register = (program: Command, g: () => GlobalOptions) => void;

interface Entry {
  description: string;
  /** its commands use the task engine's services (tasks, nodes, sites): loaded before they run */
  engine?: boolean;
  /** the function that adds the command (with its sub-commands and actions) to the program */
  load: () => Promise<Register>;
}

const misc = () => import("./misc.ts");
const tenancy = () => import("./tenancy.ts");

export const commandTable: Record<string, Entry> = {
  serve: {
    description: "run the control plane: API, console, scheduler and workers",
    load: async () => (await misc()).serveCommand,
  },
  db: { description: "database maintenance", load: async () => (await misc()).dbCommands },
  user: {
    description: "manage users",
    load: async () => (await import("./users.ts")).userCommands,
  },
  account: {
    description: "manage accounts (tenants)",
    load: async () => (await tenancy()).accountCommands,
  },
  group: { description: "manage groups", load: async () => (await tenancy()).groupCommands },
  grant: {
    description: "give roles: none, read, operate, admin",
    load: async () => (await tenancy()).grantCommands,
  },
  apikey: {
    description: "API keys (Authorization: Bearer <key>)",
    load: async () => (await misc()).apiKeyCommands,
  },
  config: {
    description: "settings: flags > STEWARD_* environment > config file > defaults",
    load: async () => (await misc()).configCommands,
  },
  audit: { description: "the audit log", load: async () => (await misc()).auditCommands },
  event: {
    description: "what happened: failures, recoveries, nodes lost and back",
    load: async () => (await import("./events.ts")).eventCommands,
  },
  task: {
    description: "tasks: list, follow, run, cancel, schedule",
    engine: true,
    load: async () => (await import("./tasks.ts")).taskCommands,
  },
  node: {
    description: "servers managed through `steward agent`",
    engine: true,
    load: async () => (await import("./node.ts")).nodeCommands,
  },
  app: {
    description: "apps in containers: quick services from an image, logs, stats",
    engine: true,
    load: async () => (await import("./apps.ts")).appCommands,
  },
  "user-sys": {
    description: "hosting accounts' system users on nodes: SFTP, FTP, SSH keys, CGI user",
    engine: true,
    load: async () => (await import("./user-sys.ts")).userSysCommands,
  },
  cron: {
    description: "hosting accounts' cron jobs, run as their system users: list, create, run",
    engine: true,
    load: async () => (await import("./cron.ts")).cronCommands,
  },
  site: {
    description: "websites served by nginx on the nodes",
    engine: true,
    load: async () => (await import("./site.ts")).siteCommands,
  },
  channel: {
    description: "notification channels: email, webhook, Slack, Telegram… and send test",
    load: async () => (await import("./channels.ts")).channelCommands,
  },
  rule: {
    description: "notification rules: which events go to which channels, and how often",
    load: async () => (await import("./rules.ts")).ruleCommands,
  },
  github: {
    description: "GitHub templates: the App, the catalog, repositories generated from it",
    engine: true,
    load: async () => (await import("./github.ts")).githubCommands,
  },
  tunnel: {
    description: "Cloudflare tunnels: forward a hostname to a port of a node",
    engine: true,
    load: async () => (await import("./tunnels.ts")).tunnelCommands,
  },
  firewall: {
    description: "a node's nftables firewall: rules, safe apply with confirmation, unblock",
    engine: true,
    load: async () => (await import("./firewall.ts")).firewallCommands,
  },
  template: {
    description: "message templates of notifications: show, set, reset, preview",
    load: async () => (await import("./templates.ts")).templateCommands,
  },
  monitor: {
    description: "uptime, TLS, DNS and heartbeat monitors",
    load: async () => (await import("./monitors.ts")).monitorCommands,
  },
  "status-page": {
    description:
      "public status pages: list|show|add|update|remove, incident list|add|update|resolve",
    load: async () => (await import("./status-pages.ts")).statusPageCommands,
  },
  cert: {
    description:
      "sites' certificates (ACME, or uploaded): list, show, add, renew, upload, provider",
    engine: true,
    load: async () => (await import("./certs.ts")).certCommands,
  },
  dns: {
    description:
      "authoritative DNS zones and records: zone list|show|add|remove|import|export, record list|add|update|remove",
    engine: true,
    load: async () => (await import("./dns.ts")).dnsCommands,
  },
  mail: {
    description:
      "mail hosting on nodes: domain list|show|add|certificate|remove, mailbox list|add|update|password|remove, alias list|add|remove",
    engine: true,
    load: async () => (await import("./mail.ts")).mailCommands,
  },
  "db-server": {
    description:
      "database servers (MariaDB, PostgreSQL) on nodes or external: list, show, add, test",
    // a server reached through a node (--via-node) is tested there, by a task
    engine: true,
    load: async () => (await import("./db-server.ts")).dbServerCommands,
  },
  backup: {
    description:
      "backups: destination list|show|add|test|remove, source, plan (run), run, artifact, keygen, export, import",
    // plans, runs and artifacts are the task engine's (run now enqueues)
    engine: true,
    load: async () => (await import("./backup.ts")).backupCommands,
  },
  database: {
    description: "databases on Steward's database servers: list, show, create, delete",
    load: async () => (await import("./db-items.ts")).databaseCommands,
  },
  "db-user": {
    description:
      "users of Steward's database servers: list, show, create, rotate, password, grant, revoke, delete",
    load: async () => (await import("./db-items.ts")).dbUserCommands,
  },
  cms: {
    description:
      "the CMS site fleet (WordPress): list, show, add, diagnose, refresh, updates, update (--bulk), history, policy, remove",
    // refresh and update enqueue tasks
    engine: true,
    load: async () => (await import("./cms.ts")).cmsCommands,
  },
  state: {
    description:
      "the desired state as files, through a panel's API: export DIR, plan DIR, apply DIR",
    load: async () => (await import("./state.ts")).stateCommands,
  },
  // listed in the panel's help; main.ts runs `steward agent` without the panel's modules
  agent: {
    description: "the agent of this server: run it (default) or enroll it with a panel",
    load: async () => (await import("./agent.ts")).agentCommands,
  },
};

/**
 * Adds every command of the table to the program: the one named `wanted` in full, the others
 * as their name and description only (what the program's help lists).
 */
export async function addCommands(program: Command, g: () => GlobalOptions, wanted?: string) {
  for (const [name, entry] of Object.entries(commandTable)) {
    if (name === wanted) (await entry.load())(program, g);
    else program.command(name);
    program.commands.find((c) => c.name() === name)?.description(entry.description);
  }
}

/**
 * The words of the command line that are not options, up to two (`steward --json user list`:
 * user, list); only `--data` of the global options takes a value.
 */
export function commandWords(args: readonly string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < args.length && words.length < 2; i++) {
    const arg = args[i] as string;
    if (arg === "--data") i++;
    else if (!arg.startsWith("-")) words.push(arg);
  }
  return words;
}
