// cert.install: puts a signed chain next to the key cert.request made (or the key given with
// an uploaded certificate), atomically (the
// framework writes a temp file, fsyncs and renames; a failure restores both files), then,
// when the site's vhost already serves HTTPS (a renewal), tests and reloads nginx and checks
// by a TLS handshake that every name serves the new serial. A first certificate is only
// written: the site's next apply renders its TLS server block (site.apply).
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { testConfig } from "../../system/service.ts";
import { loadNginx, reloadOnRollback } from "../sites/nginx.ts";
import { sitePaths } from "../sites/paths.ts";
import { readRendered } from "../sites/render.ts";
import { OpFailure, type OpHandler } from "../types.ts";
import { leafOf, verifyServed } from "./handshake.ts";
import { certPaths } from "./paths.ts";

const spki = (key: KeyObject) => key.export({ type: "spki", format: "der" }).toString("base64");

export const certInstall: OpHandler<"cert.install"> = {
  name: "cert.install",
  services: ["nginx"],
  async run(ctx, input) {
    const paths = certPaths(ctx.config, input.id);
    const { leaf, key } = await ctx.step(
      "check the certificate against the pending key",
      async () => {
        // an uploaded certificate brings its key; an issued one's waits from cert.request
        const key = input.key ?? (await readFile(paths.nextKey, "utf8").catch(() => null));
        if (!key)
          throw new OpFailure(
            "NO_PENDING_KEY",
            "no key is waiting for a certificate on this node: request the certificate again",
          );
        let leaf: ReturnType<typeof leafOf>;
        try {
          leaf = leafOf(input.certificate);
        } catch {
          throw new OpFailure("CERTIFICATE_INVALID", "the certificate is not a PEM X.509 chain");
        }
        let given: string;
        try {
          given = spki(createPublicKey(createPrivateKey(key)));
        } catch {
          throw new OpFailure("CERTIFICATE_INVALID", "the key given is not a PEM private key");
        }
        if (spki(leaf.publicKey) !== given)
          throw new OpFailure(
            "KEY_MISMATCH",
            "the certificate is for another key than the one waiting on this node",
          );
        return { leaf, key };
      },
    );
    const vhost = await readFile(sitePaths(ctx.config, input.id).configFile, "utf8").catch(
      () => "",
    );
    const rendered = readRendered(vhost);
    const live = vhost.includes(`ssl_certificate ${paths.chain};`);
    await ctx.phase("stage", async () => {
      if (input.key) {
        await ctx.mkdir(ctx.config.tlsDir, { mode: 0o700, uid: 0, gid: 0 });
        await ctx.mkdir(paths.dir, { mode: 0o700, uid: 0, gid: 0 });
      }
      await ctx.writeFile(paths.key, key, { mode: 0o600, uid: 0, gid: 0 });
      await ctx.writeFile(paths.chain, input.certificate.trim().concat("\n"), {
        mode: 0o644,
        uid: 0,
        gid: 0,
      });
      await ctx.removeFile(paths.nextKey);
    });
    if (live) {
      await ctx.phase("test", () => testConfig(ctx, "nginx"));
      await ctx.phase("activate", async () => {
        await reloadOnRollback(ctx, "nginx");
        await loadNginx(ctx);
      });
      await ctx.phase("verify", () => verifyServed(ctx, rendered?.served ?? [], paths.chain));
    }
    return {
      serial: leaf.serialNumber.toUpperCase(),
      notBefore: new Date(leaf.validFrom).toISOString(),
      notAfter: new Date(leaf.validTo).toISOString(),
      issuer: leaf.issuer,
      served: live,
    };
  },
};
