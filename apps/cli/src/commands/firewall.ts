// `steward firewall show|set|allow|deny|confirm|unblock <node>`: a node's nftables firewall
// (docs/firewall.md), super users only. `set` takes the whole rule set as JSON (a file, or `-`
// for standard input); `allow` and `deny` add one rule to the saved ones. Every change is
// applied by a task: the node reverts by itself unless the apply is confirmed in time (by the
// panel once it reaches the node again, or by `steward firewall confirm` with
// --manual-confirm). Input passes the API's schemas; the panel refuses rules that would close
// SSH or the agent's port.
import {
  type FirewallView,
  firewallPut,
  firewallRule,
  firewallUnblock,
} from "@steward/contracts/firewall";
import type { Command } from "commander";
import {
  type GlobalOptions,
  nodeIdOf,
  parse,
  readOption,
  UsageError,
  withServices,
} from "../context.ts";
import { print, readSecret } from "../io.ts";

const RULE_COLUMNS = ["action", "service", "ports", "protocol", "source"];

interface ApplyOptions {
  confirmSeconds?: string;
  manualConfirm?: boolean;
}

function say(g: GlobalOptions, view: FirewallView, verb: string) {
  if (g.json) return print(g, view);
  process.stdout.write(
    `firewall of ${view.node}: revision ${view.revision} ${verb}; task ${view.task} applies it (${view.autoConfirm ? "confirmed by the panel once the node answers again" : `confirm within ${view.confirmSeconds} s: steward firewall confirm ${view.node}`})\n`,
  );
}

/** The saved rules with `change`, and --confirm-seconds / --manual-confirm, as a PUT body. */
function body(view: FirewallView, change: object, o: ApplyOptions) {
  return parse(
    firewallPut,
    {
      rules: view.rules,
      blocked: view.blocked,
      sshRateLimit: view.sshRateLimit,
      sshBans: view.sshBans,
      confirmSeconds:
        o.confirmSeconds === undefined ? view.confirmSeconds : Number(o.confirmSeconds),
      autoConfirm: o.manualConfirm ? false : view.autoConfirm,
      ...change,
    },
    { confirmSeconds: "--confirm-seconds", sshRateLimit: "--ssh-rate-limit", blocked: "--block" },
  );
}

export function firewallCommands(program: Command, g: () => GlobalOptions) {
  const fw = program.command("firewall").description("a node's firewall (super users)");
  const applyOptions = (c: Command) =>
    c
      .option("--confirm-seconds <n>", "the node reverts unless confirmed within this (5-600)")
      .option("--manual-confirm", "you confirm (steward firewall confirm), not the panel");

  fw.command("show")
    .description("the saved rules, blocked addresses and where their apply stands")
    .argument("<node>", "id or name")
    .action(async (ref) => {
      await withServices(g(), async (svc, ctx) => {
        const view = await svc.firewall.get(ctx, await nodeIdOf(svc, ctx, ref, "<node>"));
        if (g().json) return print(g(), view);
        const { rules, ...rest } = view;
        print(g(), { ...rest, blocked: view.blocked.join(", ") || "-" });
        process.stdout.write("\n");
        print(g(), { items: rules }, RULE_COLUMNS);
      });
    });

  applyOptions(
    fw
      .command("set")
      .description("replaces the rules with a JSON rule set (rules, blocked, sshRateLimit)")
      .argument("<node>", "id or name")
      .argument("<file>", "the JSON file, or - for standard input"),
  ).action(async (ref, file, o: ApplyOptions) => {
    const text = file === "-" ? await readSecret(undefined, "") : readOption("<file>", file);
    let json: unknown;
    try {
      json = JSON.parse(text ?? "");
    } catch {
      throw new UsageError("<file>: is not JSON");
    }
    if (typeof json !== "object" || json === null || Array.isArray(json))
      throw new UsageError("<file>: must be a JSON object (rules, blocked, sshRateLimit)");
    const input = parse(
      firewallPut,
      {
        ...json,
        ...(o.confirmSeconds === undefined ? {} : { confirmSeconds: Number(o.confirmSeconds) }),
        ...(o.manualConfirm ? { autoConfirm: false } : {}),
      },
      { confirmSeconds: "--confirm-seconds" },
    );
    await withServices(g(), async (svc, ctx) => {
      const node = await nodeIdOf(svc, ctx, ref, "<node>");
      say(g(), await svc.firewall.put(ctx, node, input), "saved");
    });
  });

  for (const action of ["allow", "deny"] as const)
    applyOptions(
      fw
        .command(action)
        .description(`${action === "allow" ? "opens" : "closes"} a service or ports (for a source)`)
        .argument("<node>", "id or name")
        .option(
          "--service <name>",
          "ssh, http, https, dns, smtp, submission, imap, pop3, ftp, mysql, postgresql",
        )
        .option("--ports <ports>", "a port (22) or a range (8000-8100)")
        .option("--protocol <protocol>", "tcp (default) or udp")
        .option("--from <cidr>", "the source: an address or a CIDR range (anywhere when absent)"),
    ).action(async (ref, o: ApplyOptions & Record<string, string | undefined>) => {
      const rule = parse(
        firewallRule,
        { action, service: o.service, ports: o.ports, protocol: o.protocol, source: o.from },
        { service: "--service", ports: "--ports", protocol: "--protocol", source: "--from" },
      );
      await withServices(g(), async (svc, ctx) => {
        const node = await nodeIdOf(svc, ctx, ref, "<node>");
        const view = await svc.firewall.get(ctx, node);
        say(
          g(),
          await svc.firewall.put(ctx, node, body(view, { rules: [...view.rules, rule] }, o)),
          "saved",
        );
      });
    });

  fw.command("confirm")
    .description("keeps the apply that waits for your confirmation")
    .argument("<node>", "id or name")
    .action(async (ref) => {
      await withServices(g(), async (svc, ctx) => {
        const view = await svc.firewall.confirm(ctx, await nodeIdOf(svc, ctx, ref, "<node>"));
        if (g().json) return print(g(), view);
        process.stdout.write(
          `revision ${view.revision} confirmed: the task passes it on to the node\n`,
        );
      });
    });

  fw.command("unblock")
    .description("takes an address out of the node's blocked list and set")
    .argument("<node>", "id or name")
    .argument("<address>", "the address or CIDR range")
    .action(async (ref, address) => {
      const input = parse(firewallUnblock, { address }, { address: "<address>" });
      await withServices(g(), async (svc, ctx) => {
        const out = await svc.firewall.unblock(ctx, await nodeIdOf(svc, ctx, ref, "<node>"), input);
        if (g().json) return print(g(), out);
        process.stdout.write(
          `${out.address}: ${out.wasBlocked ? "taken out of the saved list; " : ""}task ${out.task} takes it out of the node's blocked set\n`,
        );
      });
    });
}
