// `steward dns zone …` and `steward dns record …`: authoritative zones and their records.
// Input passes the API's own schemas (dnsZoneCreate, recordInput, dnsZoneImport), so the CLI
// refuses what the API refuses, naming the option; the service checks the whole zone.
import { readFileSync, writeFileSync } from "node:fs";
import {
  type DnsZone,
  dnsRecordUpdate,
  dnsZoneImport,
  dnsZoneListQuery,
  v,
} from "@steward/contracts";
import { recordInput } from "@steward/contracts/dns";
import type { Command } from "commander";
import {
  accountIdOf,
  type GlobalOptions,
  nodeIdOf,
  pageOptions,
  parse,
  UsageError,
  withServices,
} from "../context.ts";
import { print } from "../io.ts";
import { dnssecCommand } from "./dns-dnssec.ts";
import { secondaryCommand } from "./dns-secondary.ts";
import { zoneAddCommand } from "./dns-zone-add.ts";
import { listCommand, lookup, removal } from "./shapes.ts";

const COLUMNS = ["id", "name", "status", "serial", "appliedSerial", "records", "lastError"];
const RECORD_COLUMNS = ["id", "name", "type", "ttl", "value"];
const RECORD_OPTIONS = { name: "--name", type: "--type", ttl: "--ttl", value: "--value" };
const idArg = (value: string, input = "<zone>") => parse(v.id, value, { input });

function printChange(g: GlobalOptions, z: DnsZone & { taskId: string }, what: string) {
  if (g.json) return print(g, z);
  process.stdout.write(
    `zone ${z.name} (${z.id}) ${what}, serial ${z.serial}\n` +
      `task ${z.taskId} applies it; follow it with:\n  steward task logs ${z.taskId} --follow\n`,
  );
}

function readFile(path: string, option: string) {
  try {
    return readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (e) {
    throw new UsageError(`${option}: ${(e as Error).message}`);
  }
}

const BODY_OPTIONS: Record<string, string> = { ...RECORD_OPTIONS, zoneFile: "--file" };
/** The service's refusal of a record or a file (body.value: …) names the option instead. */
async function named<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const said = /^body\.([A-Za-z]+)(?:\.\S*)?: (.*)$/s.exec((e as Error).message ?? "");
    const option = said?.[1] ? BODY_OPTIONS[said[1]] : undefined;
    if ((e as { code?: string }).code === "VALIDATION_FAILED" && option)
      throw new UsageError(`${option}: ${said?.[2]}`);
    throw e;
  }
}

const ttlOf = (ttl: string | undefined) => (ttl === undefined ? undefined : Number(ttl));

function zoneCommands(zone: Command, g: () => GlobalOptions) {
  listCommand(zone, [
    ["--account <account>", "id or slug"],
    ["--node <node>", "id or name"],
  ]).action(async (o) => {
    const f = parse(
      dnsZoneListQuery,
      { account: o.account, node: o.node },
      { account: "--account", node: "--node" },
    );
    const page = pageOptions(o);
    await withServices(g(), async (svc, ctx) => {
      const account = await accountIdOf(svc, ctx, f.account);
      const node = await nodeIdOf(svc, ctx, f.node);
      print(g(), await svc.dns.list(ctx, { ...f, account, node, ...page }), COLUMNS);
    });
  });
  lookup(zone, g, {
    command: ["show", "<zone>"],
    ref: (value) => idArg(value),
    fetch: (svc, ctx, ref) => svc.dns.get(ctx, ref),
  });
  zoneAddCommand(zone, g, printChange);
  removal(zone, g, {
    command: ["remove", "<zone>", "the zone's id"],
    answer: "removed",
    confirmAs: "zone",
    remove: (svc, ctx, ref) => svc.dns.remove(ctx, idArg(ref)),
  });
  zone
    .command("import")
    .description("reads an RFC 1035 zone file into the zone (its records replace the zone's)")
    .argument("<zone>")
    .requiredOption("--file <path>", "the zone file (- for standard input)")
    .option("--add", "add the file's records to the zone's instead of replacing them")
    .action(async (ref, o) => {
      const id = idArg(ref);
      const input = parse(
        dnsZoneImport,
        { zoneFile: readFile(o.file, "--file"), replace: !o.add },
        { zoneFile: "--file" },
      );
      await withServices(g(), async (svc, ctx) =>
        printChange(g(), await named(() => svc.dns.importZone(ctx, id, input)), "imported"),
      );
    });
  zone
    .command("export")
    .description("writes the zone as an RFC 1035 zone file (standard output unless --file)")
    .argument("<zone>")
    .option("--file <path>", "write it here")
    .action(async (ref, o) => {
      const id = idArg(ref);
      await withServices(g(), async (svc, ctx) => {
        const out = await svc.dns.exportZone(ctx, id);
        if (g().json) return print(g(), out);
        if (o.file) writeFileSync(o.file, out.zoneFile);
        else process.stdout.write(out.zoneFile);
      });
    });
  dnssecCommand(zone, g, (ref) => idArg(ref), printChange);
  secondaryCommand(zone, g, (ref) => idArg(ref));
}

function recordCommands(record: Command, g: () => GlobalOptions) {
  record
    .command("list")
    .description("the zone's records")
    .argument("<zone>")
    .action(async (ref) => {
      const id = idArg(ref);
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.dns.records(ctx, id), RECORD_COLUMNS),
      );
    });
  const fields = (c: Command) =>
    c
      .option("--name <name>", "@, a label like www, or a name ending in a dot")
      .option("--type <type>", "A, AAAA, CNAME, MX, TXT, SRV, CAA, NS or PTR")
      .option("--ttl <seconds>", "30 to 604800 (default 3600)")
      .option("--value <value>", 'the data: 192.0.2.1, "10 mail", "v=spf1 mx -all"...');
  fields(
    record.command("add").description("adds a record and applies the zone").argument("<zone>"),
  ).action(async (ref, o) => {
    const id = idArg(ref);
    const input = parse(
      recordInput,
      { name: o.name ?? "@", type: o.type, ttl: ttlOf(o.ttl), value: o.value },
      RECORD_OPTIONS,
    );
    await withServices(g(), async (svc, ctx) => {
      const r = await named(() => svc.dns.addRecord(ctx, id, input));
      if (g().json) return print(g(), r);
      printChange(g(), r.zone, `has record ${r.record?.id}`);
    });
  });
  fields(
    record
      .command("update")
      .description("changes a record and applies the zone")
      .argument("<zone>")
      .argument("<record>"),
  ).action(async (ref, recordRef, o) => {
    const id = idArg(ref);
    const recordId = idArg(recordRef, "<record>");
    const patch = parse(
      dnsRecordUpdate,
      { name: o.name, type: o.type, ttl: ttlOf(o.ttl), value: o.value },
      RECORD_OPTIONS,
    );
    await withServices(g(), async (svc, ctx) => {
      const r = await named(() => svc.dns.updateRecord(ctx, id, recordId, patch));
      if (g().json) return print(g(), r);
      printChange(g(), r.zone, `has record ${recordId} changed`);
    });
  });
  record
    .command("remove")
    .description("removes a record and applies the zone")
    .argument("<zone>")
    .argument("<record>")
    .action(async (ref, recordRef) => {
      const id = idArg(ref);
      const recordId = idArg(recordRef, "<record>");
      await withServices(g(), async (svc, ctx) => {
        const r = await svc.dns.removeRecord(ctx, id, recordId);
        if (g().json) return print(g(), r);
        printChange(g(), r.zone, `lost record ${recordId}`);
      });
    });
}

export function dnsCommands(program: Command, g: () => GlobalOptions) {
  const dns = program.command("dns");
  zoneCommands(dns.command("zone").description("authoritative zones"), g);
  recordCommands(dns.command("record").description("a zone's records"), g);
}
