// `steward node …`: the servers the panel manages through their agents.
import {
  agentUpgradeRequest,
  nodeCreate,
  nodeListQuery,
  nodeSorts,
  nodeUpdate,
} from "@steward/contracts";
import type { Command } from "commander";
import { z } from "zod";
import { type GlobalOptions, pageOptions, parse, withServices } from "../context.ts";
import { print } from "../io.ts";
import { nodeComposeCommand } from "./apps-compose.ts";
import { nodeEngineCommands } from "./node-engine.ts";
import { nodeFtpsCommand } from "./node-ftps.ts";
import { listCommand, lookup } from "./shapes.ts";

const COLUMNS = ["id", "name", "state", "agentUrl", "lastSeenAt", "certExpiresAt", "lastError"];

/** A node by id or name (ids are identifiers, names host-name-like: both fit this). */
const nodeRef = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "must be a node id or name");
const nodeArg = (value: string) => parse(nodeRef, value, { input: "<node>" });

export function nodeCommands(program: Command, g: () => GlobalOptions) {
  const node = program.command("node");
  listCommand(
    node,
    [
      ["--state <state>", "pending, trusted, unreachable or revoked"],
      ["--q <text>", "part of the name or of the agent URL"],
    ],
    nodeSorts,
  ).action(async (o) => {
    const f = parse(
      nodeListQuery,
      { state: o.state, q: o.q, sort: o.sort },
      { state: "--state", q: "--q" },
    );
    const page = pageOptions(o);
    await withServices(g(), async (svc, ctx) =>
      print(g(), await svc.nodes.list(ctx, { ...f, ...page }), COLUMNS),
    );
  });
  node
    .command("add")
    .description("adds a node; then `steward node token` gives the command to run on it")
    .requiredOption("--name <name>", "like web-1")
    .requiredOption("--agent-url <url>", "where the panel reaches its agent: https://host:port")
    .action(async (o) => {
      const input = parse(
        nodeCreate,
        { name: o.name, agentUrl: o.agentUrl },
        { name: "--name", agentUrl: "--agent-url" },
      );
      await withServices(g(), async (svc, ctx) => print(g(), await svc.nodes.create(ctx, input)));
    });
  lookup(node, g, {
    command: ["show", "<node>", "id or name"],
    ref: nodeArg,
    fetch: (svc, ctx, ref) => svc.nodes.get(ctx, ref),
  });
  node
    .command("token")
    .description("a single-use enrollment token (15 minutes) and the command that uses it")
    .argument("<node>", "id or name")
    .action(async (id) => {
      const ref = nodeArg(id);
      await withServices(g(), async (svc, ctx) => {
        const t = await svc.nodes.enrollmentToken(ctx, ref);
        if (g().json) return print(g(), t);
        const installer = t.installCommand
          ? `Install the agent on the server, as root, within 15 minutes (until ${t.expiresAt}); the token works once:\n\n  ${t.installCommand}\n\nor, on a server with Steward's checkout:\n\n`
          : `Run this on the server within 15 minutes (until ${t.expiresAt}); the token works once:\n\n`;
        process.stdout.write(`${installer}  ${t.command}\n`);
      });
    });
  node
    .command("agent-upgrade")
    .description(
      "replaces the node's single-file agent with a build the panel serves (default: its own version); it rolls back by itself when the new one does not come up (docs/install.md)",
    )
    .argument("<node>", "id or name")
    // not --version: that is the program's own (steward --version)
    .option("--to <version>", "a version the panel has a build of, like 1.2.3")
    .action(async (id, o: { to?: string }) => {
      const ref = nodeArg(id);
      const input = parse(agentUpgradeRequest, { version: o.to }, { version: "--to" });
      await withServices(g(), async (svc, ctx) => {
        const { taskId } = await svc.nodes.upgradeAgent(ctx, ref, input);
        if (g().json) return print(g(), { taskId });
        process.stdout.write(`task ${taskId} upgrades the agent (steward task show ${taskId})\n`);
      });
    });
  node
    .command("outbound")
    .description(
      "what the node's proxy upstreams may reach besides public addresses (see docs/nodes.md)",
    )
    .argument("<node>", "id or name")
    .option(
      "--allow-private",
      "allow private ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7)",
    )
    .option("--no-allow-private", "refuse private ranges again")
    .option(
      "--allow <cidr...>",
      "more ranges or addresses of any class; replaces the list (none: empty)",
    )
    .action(async (id, o: { allowPrivate?: boolean; allow?: string[] }) => {
      const ref = nodeArg(id);
      const allow = o.allow?.length === 1 && o.allow[0] === "none" ? [] : o.allow;
      const outbound = parse(
        nodeUpdate.shape.outbound,
        { allowPrivate: o.allowPrivate, allow },
        { allowPrivate: "--allow-private", allow: "--allow" },
      );
      await withServices(g(), async (svc, ctx) =>
        print(g(), (await svc.nodes.update(ctx, ref, { outbound })).outbound),
      );
    });
  node
    .command("dns-address")
    .description(
      "where other nodes reach the node's DNS server (IPv4:port), for DNS secondaries; none unsets it",
    )
    .argument("<node>", "id or name")
    .argument("<address>", "IPv4:port, like 192.0.2.1:53, or none")
    .action(async (id, address: string) => {
      const ref = nodeArg(id);
      const dnsAddress = parse(nodeUpdate.shape.dnsAddress, address === "none" ? null : address, {
        input: "<address>",
      });
      await withServices(g(), async (svc, ctx) => {
        const updated = await svc.nodes.update(ctx, ref, { dnsAddress });
        if (g().json) return print(g(), { dnsAddress: updated.dnsAddress });
        process.stdout.write(`${updated.name}: DNS address ${updated.dnsAddress ?? "unset"}\n`);
      });
    });
  lookup(node, g, {
    command: ["revoke", "<node>", "id or name"],
    description: "stops trusting the node at once; it cannot be enrolled again",
    ref: nodeArg,
    columns: COLUMNS,
    fetch: (svc, ctx, ref) => svc.nodes.revoke(ctx, ref),
  });
  nodeEngineCommands(node, g);
  nodeComposeCommand(node, g);
  nodeFtpsCommand(node, g);
}
