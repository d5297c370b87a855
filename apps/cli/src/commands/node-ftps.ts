// `steward node ftp-certificate <node> [--site <site> | --none]`: the site whose certificate the
// node's FTPS (pure-ftpd) serves, installed again on every renewal (docs/hosting.md).
import { ftpCertificateUpdate } from "@steward/contracts/hosting";
import type { Command } from "commander";
import { type GlobalOptions, parse, UsageError, withServices } from "../context.ts";
import { print } from "../io.ts";
import { nodeRef } from "./apps.ts";

export function nodeFtpsCommand(node: Command, g: () => GlobalOptions) {
  node
    .command("ftp-certificate")
    .description(
      "shows, or with --site/--none sets, the site (on the node) whose certificate its FTPS serves; installation admins only",
    )
    .argument("<node>", "id or name")
    .option("--site <site>", "a site on this node: its certificate, now and after each renewal")
    .option("--none", "no longer install one (pure-ftpd keeps the file it has)")
    .action(async (ref: string, o: { site?: string; none?: boolean }) => {
      if (o.site !== undefined && o.none)
        throw new UsageError("--site and --none exclude each other");
      const change =
        o.site !== undefined || o.none
          ? parse(ftpCertificateUpdate, { site: o.none ? null : o.site }, { site: "--site" })
          : null;
      const nodeRefValue = parse(nodeRef, ref, { input: "<node>" });
      await withServices(g(), async (svc, ctx) => {
        const id = (await svc.nodes.get(ctx, nodeRefValue)).id;
        const out = change
          ? await svc.ftpTls.set(ctx, id, change.site)
          : await svc.ftpTls.get(ctx, id);
        print(g(), out);
      });
    });
}
