import {
  sitePhpChange,
  sitePhpInput,
  sitePhpView,
  siteProtectionChange,
  siteProtectionInput,
  siteProtectionView,
} from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { declareRoutes, route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";

/** A site's directory protection and PHP settings (docs/sites.md). */
export function siteSettingsRoutes(app: FastifyInstance, svc: Services) {
  declareRoutes(
    app,
    ["sites"],
    [
      route({
        method: "GET",
        url: "/api/v1/sites/:id/protection",
        action: "site.protection.get",
        description:
          "The site's protected paths and their users' names (never a password or hash).",
        params: idParams,
        reply: siteProtectionView,
        handle: ({ ctx, params }) => svc.sites.protection(ctx, params.id),
      }),
      route({
        method: "PUT",
        url: "/api/v1/sites/:id/protection",
        action: "site.protection",
        description:
          "Replaces the site's protected paths (HTTP basic auth); a user given without a password keeps theirs. Enqueues the site's apply.",
        params: idParams,
        body: siteProtectionInput,
        reply: siteProtectionChange,
        handle: ({ ctx, params, body }) => svc.sites.setProtection(ctx, params.id, body),
      }),
      route({
        method: "GET",
        url: "/api/v1/sites/:id/php",
        action: "site.php.get",
        description: "The PHP site's php.ini values set through Steward.",
        params: idParams,
        reply: sitePhpView,
        handle: ({ ctx, params }) => svc.sites.php(ctx, params.id),
      }),
      route({
        method: "PUT",
        url: "/api/v1/sites/:id/php",
        action: "site.php",
        description:
          "Replaces the PHP site's php.ini values (from the allow-list) in its own PHP-FPM pool. Enqueues the site's apply.",
        params: idParams,
        body: sitePhpInput,
        reply: sitePhpChange,
        handle: ({ ctx, params, body }) => svc.sites.setPhp(ctx, params.id, body),
      }),
    ],
  );
}
