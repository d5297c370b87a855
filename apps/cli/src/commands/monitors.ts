// `steward monitor …`: uptime, TLS, DNS and heartbeat monitors. Input passes the API's own
// schemas (monitorCreate, monitorUpdate, monitorListQuery), so the CLI refuses what the API
// refuses, naming the option; the outbound policy's refusals name it too.

import { v } from "@steward/contracts";
import {
  type MonitorSettings,
  monitorCreate,
  monitorListQuery,
  monitorResultsQuery,
  monitorSorts,
  monitorUpdate,
} from "@steward/contracts/monitors";
import { AppError } from "@steward/server/admin";
import type { Command } from "commander";
import {
  accountIdOf,
  type GlobalOptions,
  pageOptions,
  parse,
  UsageError,
  withServices,
} from "../context.ts";
import { print } from "../io.ts";
import { confirm, listCommand, lookup, paging } from "./shapes.ts";
import { collect, usageOf } from "./site-options.ts";

/** The option that fills each field. */
const OPTIONS: Record<string, string> = {
  name: "--name",
  account: "--account",
  installation: "--installation",
  intervalSeconds: "--interval",
  timeoutSeconds: "--timeout",
  retries: "--retries",
  paused: "--paused",
  settings: "--kind",
  "settings.kind": "--kind",
  "settings.url": "--url",
  "settings.method": "--method",
  "settings.expectedStatuses": "--expect-status",
  "settings.keyword": "--keyword",
  "settings.json": "--json-path",
  "settings.degradedAboveMs": "--degraded-above",
  "settings.headers": "--header",
  "settings.body": "--body",
  "settings.host": "--host",
  "settings.port": "--port",
  "settings.name": "--dns-name",
  "settings.recordType": "--record-type",
  "settings.expected": "--expected",
  "settings.resolver": "--resolver",
  "settings.warnDays": "--warn-days",
  "settings.graceSeconds": "--grace",
  "settings.count": "--count",
  "settings.domain": "--domain",
  locations: "--location",
  quorum: "--quorum",
  state: "--state",
  kind: "--kind",
  location: "--location",
  from: "--from",
  to: "--to",
};

const COLUMNS = ["id", "name", "kind", "target", "state", "lastResponseMs", "lastMessage"];
const monitorArg = (value: string) => parse(v.id, value, { input: "<id>" });
const int = (value: string | undefined) => (value === undefined ? undefined : Number(value));

/** Options of a monitor's settings (every kind's; each kind reads its own). */
function settingsOptions(command: Command) {
  return command
    .option("--kind <kind>", "http, tcp, dns, tls, heartbeat, ping or rdap")
    .option("--url <url>", "http: the URL to request")
    .option("--method <method>", "http: GET, HEAD, POST or PUT")
    .option("--expect-status <status>", 'http: "200" or "200-299"; repeatable', collect)
    .option("--keyword <text>", "http: a text the answer must contain")
    .option("--keyword-absent", "http: the keyword must not be in the answer")
    .option("--json-path <path>", 'http: a JSON value ("$.status") that must equal --json-equals')
    .option("--json-equals <value>", "http: what --json-path must be")
    .option("--degraded-above <ms>", "http, ping: slower than this is degraded")
    .option("--no-follow-redirects", "http: a redirect is the answer")
    .option("--header <header>", 'http: "Name: value"; repeatable', collect)
    .option("--body <text>", "http: the request's body")
    .option("--host <host>", "tcp, tls, ping: the host name or address")
    .option("--count <n>", "ping: echo requests per check (default 3)")
    .option("--domain <name>", "rdap: the registered domain whose expiry is watched")
    .option("--port <port>", "tcp, tls: the port")
    .option("--dns-name <name>", "dns: the name to resolve")
    .option("--record-type <type>", "dns: A, AAAA, CNAME, MX, NS or TXT")
    .option("--expected <value>", "dns: an answer that must be among them")
    .option("--resolver <address:port>", "dns: the resolver asked (default 1.1.1.1:53)")
    .option("--warn-days <days>", "tls, rdap: degraded this many days before expiry")
    .option("--no-check-chain", "tls: an unverified chain is not down")
    .option("--grace <seconds>", "heartbeat: how late a report may be")
    .option("--location <id>", "panel or a node's id to check from; repeatable", collect)
    .option("--quorum <n>", "locations that must see it down (default: a majority)");
}

type SettingsFlags = Record<string, string | string[] | boolean | undefined>;

function settingsOf(kind: string, o: SettingsFlags): Record<string, unknown> {
  const s = (key: string) => o[key] as string | undefined;
  const headers = (o.header as string[] | undefined)?.map((h) => {
    const at = h.indexOf(":");
    if (at < 1) throw new UsageError(`--header: must be "Name: value" (${h})`);
    return [h.slice(0, at).trim(), h.slice(at + 1).trim()];
  });
  const byKind: Record<string, Record<string, unknown>> = {
    http: {
      url: s("url"),
      method: s("method"),
      expectedStatuses: o.expectStatus,
      keyword: s("keyword") && { text: s("keyword"), mode: o.keywordAbsent ? "absent" : "present" },
      json: s("jsonPath") && { path: s("jsonPath"), equals: s("jsonEquals") ?? "" },
      degradedAboveMs: int(s("degradedAbove")),
      followRedirects: o.followRedirects === false ? false : undefined,
      headers: headers && Object.fromEntries(headers),
      body: s("body"),
    },
    tcp: { host: s("host"), port: int(s("port")) },
    tls: {
      host: s("host"),
      port: int(s("port")),
      warnDays: int(s("warnDays")),
      checkChain: o.checkChain === false ? false : undefined,
    },
    dns: {
      name: s("dnsName"),
      recordType: s("recordType"),
      expected: s("expected"),
      resolver: s("resolver"),
    },
    heartbeat: { graceSeconds: int(s("grace")) },
    ping: { host: s("host"), count: int(s("count")), degradedAboveMs: int(s("degradedAbove")) },
    rdap: { domain: s("domain"), warnDays: int(s("warnDays")) },
  };
  return { kind, ...(byKind[kind] ?? {}) };
}

/** Runs fn; the service's refusal of a field becomes the refusal of its option (exit 2). */
async function byOption<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AppError) throw usageOf(e, OPTIONS) ?? e;
    throw e;
  }
}

export function monitorCommands(program: Command, g: () => GlobalOptions) {
  const monitor = program.command("monitor");
  listCommand(
    monitor,
    [
      ["--state <state>", "pending, up, degraded or down"],
      ["--kind <kind>", "http, tcp, dns, tls, heartbeat, ping or rdap"],
      ["--account <account>", "id or slug"],
    ],
    monitorSorts,
  ).action(async (o) => {
    const f = parse(
      monitorListQuery,
      { state: o.state, kind: o.kind, account: o.account, sort: o.sort },
      OPTIONS,
    );
    const page = pageOptions(o);
    await withServices(g(), async (svc, ctx) => {
      const account = await accountIdOf(svc, ctx, f.account);
      print(g(), await svc.monitors.list(ctx, { ...f, account, ...page }), COLUMNS);
    });
  });
  lookup(monitor, g, {
    command: ["show", "<id>"],
    ref: monitorArg,
    fetch: (svc, ctx, ref) => svc.monitors.get(ctx, ref),
  });
  settingsOptions(
    monitor.command("add").description("adds a monitor; a heartbeat's token is printed once"),
  )
    .requiredOption("--name <name>", "what to call it")
    .option("--interval <seconds>", "between checks, 20 to 86400 (default 60)")
    .option("--timeout <seconds>", "each check's deadline (default 10)")
    .option("--retries <n>", "failed checks in a row before down (default 0)")
    .option("--paused", "created paused")
    .option("--account <account>", "id or slug (default: the default account)")
    .option("--installation", "an installation monitor (super users; may reach private addresses)")
    .action(async (o) => {
      const input = parse(
        monitorCreate,
        {
          name: o.name,
          account: o.account,
          installation: o.installation,
          settings: settingsOf(o.kind ?? "http", o),
          intervalSeconds: int(o.interval),
          timeoutSeconds: int(o.timeout),
          retries: int(o.retries),
          paused: o.paused,
          locations: o.location,
          quorum: int(o.quorum),
        },
        OPTIONS,
      );
      await withServices(g(), async (svc, ctx) => {
        const account = await accountIdOf(svc, ctx, input.account);
        print(g(), await byOption(() => svc.monitors.create(ctx, { ...input, account })));
      });
    });
  settingsOptions(
    monitor
      .command("update")
      .description("changes a monitor (settings are replaced whole)")
      .argument("<id>"),
  )
    .option("--name <name>", "what to call it")
    .option("--interval <seconds>", "between checks, 20 to 86400")
    .option("--timeout <seconds>", "each check's deadline")
    .option("--retries <n>", "failed checks in a row before down")
    .action(async (id, o) => {
      const ref = monitorArg(id);
      const input = parse(
        monitorUpdate,
        {
          name: o.name,
          settings: o.kind ? (settingsOf(o.kind, o) as MonitorSettings) : undefined,
          intervalSeconds: int(o.interval),
          timeoutSeconds: int(o.timeout),
          retries: int(o.retries),
          locations: o.location,
          quorum: int(o.quorum),
        },
        OPTIONS,
      );
      if (Object.values(input).every((x) => x === undefined))
        throw new UsageError(
          "nothing to change: give --name, --interval, --timeout, --retries, --location, --quorum or --kind with its settings",
        );
      await withServices(g(), async (svc, ctx) =>
        print(g(), await byOption(() => svc.monitors.update(ctx, ref, input))),
      );
    });
  for (const action of ["pause", "resume", "check"] as const)
    lookup(monitor, g, {
      command: [action, "<id>"],
      description:
        action === "check" ? "checks it now and prints the result" : `${action}s its checks`,
      ref: monitorArg,
      fetch: (svc, ctx, ref) => svc.monitors[action](ctx, ref),
    });
  monitor
    .command("remove")
    .description("deletes a monitor and its results")
    .argument("<id>")
    .option("--yes", "confirm")
    .action(async (id, o) => {
      confirm(o, `monitor ${id}`);
      const ref = monitorArg(id);
      await withServices(g(), async (svc, ctx) => {
        await svc.monitors.remove(ctx, ref);
        print(g(), { removed: ref });
      });
    });
  paging(monitor.command("results").description("its check results, newest first").argument("<id>"))
    .option("--from <time>", "ISO-8601: no older results")
    .option("--to <time>", "ISO-8601: only older results")
    .option("--location <id>", "panel or a node's id: its results only")
    .action(async (id, o) => {
      const ref = monitorArg(id);
      const range = parse(
        monitorResultsQuery,
        { from: o.from, to: o.to, location: o.location },
        OPTIONS,
      );
      const page = pageOptions(o);
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.monitors.results(ctx, ref, { ...range, ...page }), [
          "at",
          "location",
          "outcome",
          "responseMs",
          "message",
        ]),
      );
    });
}
