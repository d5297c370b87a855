// site.apply: make a website on this node exactly as asked, or leave the node as it was.
//   stage     the system user, home and document root, the suspended page, the nginx file
//             and (php) the PHP-FPM pool, each written only when it differs
//   test      nginx -T, which also refuses names another server block serves (taken.ts);
//             php-fpm -t (each only when its files changed)
//   activate  reload nginx and wait for the new workers; reload PHP-FPM (start when stopped)
//   verify    every name answers as configured over HTTP on the node's nginx address (a
//             proxy whose upstream does not answer yet holds, with a warning: nginx's own
//             502 for the new vhost proves the routing); with a certificate installed, port 80
//             redirects to HTTPS, HTTPS answers as configured and a TLS handshake per name
//             serves the installed certificate's serial
// Any failure restores the files byte for byte and loads the old configuration again. An
// identical second apply writes nothing, reloads nothing and reports changed: false.
import type { SiteApplyInput } from "@steward/contracts/agent";
import { CGI_SUFFIX } from "@steward/contracts/hosting";
import { isRunning, reloadService, serviceSpec, testConfig } from "../../system/service.ts";
import { verifyServed } from "../certs/handshake.ts";
import { installedCertificate } from "../certs/paths.ts";
import type { OpHandler } from "../types.ts";
import { expectations, placeCheckFile } from "./expect.ts";
import { siteNames } from "./names.ts";
import { loadNginx, reloadOnRollback } from "./nginx.ts";
import { asFailure, documentRoot, type SitePaths, sitePaths } from "./paths.ts";
import { renderPool } from "./php-pool.ts";
import { dropOtherPools, phpFpmOf, withPhpFpm } from "./php-version.ts";
import { renderHtpasswd } from "./protect.ts";
import { type RenderTls, renderSite } from "./render.ts";
import { stageSite } from "./stage.ts";
import { testNginxNames } from "./taken.ts";
import { checkUpstream, type PinnedUpstream } from "./upstream.ts";
import { verifyAnswers } from "./verify.ts";

export const siteApply: OpHandler<"site.apply"> = {
  name: "site.apply",
  services: ["nginx", "php-fpm"],
  async run(ctx, site) {
    const php = await ctx.step("choose the PHP version", () =>
      withPhpFpm(ctx, phpFpmOf(ctx, site.phpVersion)),
    );
    const paths = sitePaths(php.config, site.id, site.account);
    const docRoot = documentRoot(paths, site.root);
    const upstream = await ctx.step("check the upstream", () => checkUpstream(ctx.config, site));
    // HTTPS only once the certificate's files are there: a site never breaks while it waits
    const cert = installedCertificate(ctx.config, site.id);
    const tls = cert
      ? { chain: cert.chain, key: cert.key, port: ctx.config.nginx.httpsPort, hsts: site.hsts }
      : null;
    // rendering refuses bad values before anything on the node is touched
    const files = await ctx.step("render the configuration", () => {
      try {
        return render(php.config, site, paths, docRoot, upstream, tls);
      } catch (e) {
        throw asFailure(e);
      }
    });
    const staged = await ctx.phase("stage", async () => {
      const done = await stageSite(ctx, site, paths, docRoot, files);
      const keep = site.kind === "php" ? php.config.phpFpm.version : null;
      const poolOf = (p: typeof ctx) => sitePaths(p.config, site.id).poolFile;
      return { ...done, dropped: await dropOtherPools(ctx, keep, poolOf) };
    });
    await ctx.phase("test", async () => {
      if (staged.nginx) await testNginxNames(ctx, paths.configFile, siteNames(site));
      if (staged.php) await testConfig(php, "php-fpm");
      for (const other of staged.dropped) await testConfig(other, "php-fpm");
    });
    await ctx.phase("activate", async () => {
      const nginx = serviceSpec(ctx.config, "nginx");
      if (staged.nginx || !(await isRunning(ctx.config, nginx))) {
        await reloadOnRollback(ctx, "nginx");
        await loadNginx(ctx);
      }
      // a pool taken away only needs a running PHP-FPM reloaded
      for (const other of staged.dropped)
        if (await isRunning(other.config, serviceSpec(other.config, "php-fpm"))) {
          await reloadOnRollback(other, "php-fpm");
          await reloadService(other, "php-fpm");
        }
      // a PHP site needs its PHP-FPM running
      if (site.kind !== "php" && !staged.php) return;
      const phpUp = await isRunning(php.config, serviceSpec(php.config, "php-fpm"));
      if (site.kind === "php" ? staged.php || !phpUp : phpUp) {
        await reloadOnRollback(php, "php-fpm");
        await reloadService(php, "php-fpm");
      }
    });
    const verified = await ctx.phase("verify", async () => {
      const shape = {
        ...siteNames(site),
        kind: site.kind,
        suspended: site.suspended,
        tlsPort: tls?.port ?? null,
      };
      const needsFile = !site.suspended && site.kind !== "proxy";
      const check = needsFile
        ? await ctx.step("place a check file", () => placeCheckFile(docRoot, site.kind === "php"))
        : null;
      try {
        const found = await verifyAnswers(ctx, expectations(shape, check), "present");
        const served = [...shape.served, ...shape.redirects.flatMap((r) => r.names)];
        const serial = cert ? await verifyServed(ctx, served, cert.chain) : null;
        return { warnings: found, serial };
      } finally {
        await check?.remove();
      }
    });
    const out = {
      home: paths.home,
      documentRoot: docRoot,
      configFile: paths.configFile,
      ...(verified.serial ? { tlsSerial: verified.serial } : {}),
    };
    return verified.warnings.length ? { ...out, warnings: verified.warnings } : out;
  },
};

export interface RenderedFiles {
  nginx: string;
  /** the PHP-FPM pool (php sites), null when the site has none */
  pool: string | null;
  /** the htpasswd file of each protected path, in order */
  htpasswd: string[];
}

function render(
  config: Parameters<typeof sitePaths>[0],
  site: SiteApplyInput,
  paths: SitePaths,
  docRoot: string,
  upstream: PinnedUpstream | null,
  tls: RenderTls | null,
): RenderedFiles {
  const nginx = renderSite(
    site,
    { ...paths, documentRoot: docRoot },
    { address: config.nginx.listenAddress, port: config.nginx.httpPort },
    upstream,
    tls,
  );
  const pool =
    site.kind === "php"
      ? renderPool({
          id: site.id,
          user: site.account ? `${site.account.main}${CGI_SUFFIX}` : site.user,
          home: paths.home,
          socket: paths.phpSocket,
          nginxUser: config.nginx.user,
          nginxGroup: config.nginx.group,
          allowExec: site.phpAllowExec,
          settings: site.php,
        })
      : null;
  return { nginx, pool, htpasswd: site.protection.map(renderHtpasswd) };
}
