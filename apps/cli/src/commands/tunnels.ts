// `steward tunnel …`: a node's Cloudflare tunnel (the API token read from standard input, never
// an argument), its status and config.yml preview, and the hostnames forwarded through it to a
// port of the node (docs/tunnels.md). Input passes the API's schemas.
import { tunnelCreate, tunnelRouteCreate, v } from "@steward/contracts";
import type { Command } from "commander";
import { type GlobalOptions, nodeIdOf, parse, withServices } from "../context.ts";
import { print, readSecret } from "../io.ts";

const idArg = (value: string, name = "<id>") => parse(v.id, value, { input: name });
const COLUMNS = ["id", "nodeId", "tunnelId", "zone"];
const ROUTE_COLUMNS = ["id", "hostname", "port"];

export function tunnelCommands(program: Command, g: () => GlobalOptions) {
  const tunnel = program.command("tunnel");
  tunnel.command("list").action(async () => {
    await withServices(g(), async (svc, ctx) =>
      print(g(), { items: await svc.tunnels.list(ctx) }, COLUMNS),
    );
  });
  tunnel
    .command("add")
    .description(
      "keeps a node's tunnel once Cloudflare confirms it (API token from standard input)",
    )
    .requiredOption("--node <node>", "the node running cloudflared (id or name)")
    .requiredOption("--cloudflare-account <id>", "the Cloudflare account id")
    .requiredOption("--tunnel-id <uuid>", "the tunnel's id (cloudflared tunnel list)")
    .requiredOption("--zone <zone>", "the zone its hostnames are in")
    .action(async (o) => {
      const token = await readSecret(undefined, "Cloudflare API token: ");
      await withServices(g(), async (svc, ctx) => {
        // the node by id or name: an unknown one is refused naming --node
        const node = await nodeIdOf(svc, ctx, o.node);
        const input = parse(
          tunnelCreate,
          {
            node,
            cloudflareAccount: o.cloudflareAccount,
            tunnelId: o.tunnelId,
            zone: o.zone,
            token,
          },
          {
            node: "--node",
            cloudflareAccount: "--cloudflare-account",
            tunnelId: "--tunnel-id",
            zone: "--zone",
            token: "<stdin>",
          },
        );
        const made = await svc.tunnels.create(ctx, input);
        if (g().json) return print(g(), made);
        process.stdout.write(
          `tunnel ${made.id}: ${made.tunnelId} on node ${made.nodeId}, zone ${made.zone}\n`,
        );
      });
    });
  tunnel
    .command("status")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const st = await svc.tunnels.status(ctx, ref);
        if (g().json) return print(g(), st);
        process.stdout.write(`${st.name}: ${st.status}, ${st.connections.length} connection(s)\n`);
      });
    });
  tunnel
    .command("config")
    .description("prints the node's cloudflared config.yml (read-only)")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const c = await svc.tunnels.config(ctx, ref);
        if (g().json) return print(g(), c);
        process.stdout.write(c.config);
      });
    });
  tunnel
    .command("remove")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        await svc.tunnels.remove(ctx, ref);
        if (g().json) return print(g(), { removed: ref });
        process.stdout.write(`tunnel ${ref} removed\n`);
      });
    });
  const route = tunnel.command("route").description("hostnames forwarded to a port of the node");
  route
    .command("list")
    .argument("<tunnel>")
    .action(async (id) => {
      const ref = idArg(id, "<tunnel>");
      await withServices(g(), async (svc, ctx) =>
        print(g(), { items: await svc.tunnels.routes(ctx, ref) }, ROUTE_COLUMNS),
      );
    });
  route
    .command("add")
    .description("forwards a hostname to a local port: an ingress rule, then a proxied CNAME")
    .argument("<tunnel>")
    .requiredOption("--hostname <name>")
    .requiredOption("--port <port>")
    .action(async (id, o) => {
      const ref = idArg(id, "<tunnel>");
      const input = parse(
        tunnelRouteCreate,
        { hostname: o.hostname, port: o.port },
        { hostname: "--hostname", port: "--port" },
      );
      await withServices(g(), async (svc, ctx) => {
        const added = await svc.tunnels.addRoute(ctx, ref, input);
        if (g().json) return print(g(), added);
        process.stdout.write(
          `${added.hostname} → http://localhost:${added.port} (route ${added.id}; validated by ${added.validatedBy})\n${added.note ? `${added.note}\n` : ""}`,
        );
      });
    });
  route
    .command("remove")
    .argument("<tunnel>")
    .argument("<route>")
    .action(async (id, routeId) => {
      const ref = idArg(id, "<tunnel>");
      const r = idArg(routeId, "<route>");
      await withServices(g(), async (svc, ctx) => {
        await svc.tunnels.removeRoute(ctx, ref, r);
        if (g().json) return print(g(), { removed: r });
        process.stdout.write(`route ${r} removed\n`);
      });
    });
}
