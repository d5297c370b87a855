// The routes of the tools on a CMS site (docs/cms.md#tools): parse and delegate to
// tools-service.ts; the backup download streams the archive as Akeeba Backup hands it over.
import { Readable } from "node:stream";
import {
  cmsBackupRequest,
  cmsBackups,
  cmsExtensionListQuery,
  cmsFirewall,
  cmsFirewallRequest,
  cmsFleetExtension,
  cmsRemoteId,
  cmsScan,
  cmsScanAlert,
  cmsScanPage,
  cmsSiteRecordParams,
  cmsTaskStarted,
  cmsTemporaryAdmin,
  cmsTemporaryAdminRequest,
  cmsUnblockRequest,
  page,
} from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { declareRoutes, route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";

const scanParams = idParams.extend({ scan: cmsRemoteId });
const alertParams = idParams.extend({ alert: cmsRemoteId });

export function cmsToolRoutes(app: FastifyInstance, svc: Services) {
  const tools = () => svc.cms.tools;
  declareRoutes(
    app,
    ["cms"],
    [
      route({
        method: "GET",
        url: "/api/v1/cms-extensions",
        action: "cms_extension.list",
        description:
          "The fleet's extensions and cores at their sites' last refresh: which sites run an extension (`slug`) at which version, what is outdated (`outdated=true`), which WordPress plugins are abandoned (`abandoned=true`: no release on wordpress.org in `cmsAbandonedMonths`), newest first.",
        query: cmsExtensionListQuery,
        reply: page(cmsFleetExtension),
        handle: ({ ctx, query }) => svc.cms.fleet.extensions(ctx, query),
      }),
      route({
        method: "POST",
        url: "/api/v1/cms-sites/:id/unblock",
        action: "cms_site.unblock",
        description: "Unblocks an IP address in the site's firewall (Admin Tools).",
        params: idParams,
        body: cmsUnblockRequest,
        handle: ({ ctx, params, body }) => tools().unblock(ctx, params.id, body.ip),
      }),
      route({
        method: "POST",
        url: "/api/v1/cms-sites/:id/scan",
        action: "cms_site.scan",
        description: "Runs the PHP file change scanner to its end in a cms.scan task.",
        params: idParams,
        reply: cmsTaskStarted,
        status: 202,
        handle: ({ ctx, params }) => tools().scan(ctx, params.id),
      }),
      route({
        method: "GET",
        url: "/api/v1/cms-sites/:id/scans",
        action: "cms_site.scans",
        description:
          "The file change scanner's scans, newest first, 50 at a time (`offset` skips).",
        params: idParams,
        query: cmsScanPage,
        reply: z.object({ items: z.array(cmsScan) }),
        handle: ({ ctx, params, query }) => tools().scans(ctx, params.id, query.offset),
      }),
      route({
        method: "GET",
        url: "/api/v1/cms-sites/:id/scans/:scan",
        action: "cms_site.scan_alerts",
        description: "The files a scan found new or modified.",
        params: scanParams,
        query: cmsScanPage,
        reply: z.object({ items: z.array(cmsScanAlert) }),
        handle: ({ ctx, params, query }) =>
          tools().scanAlerts(ctx, params.id, params.scan, query.offset),
      }),
      route({
        method: "GET",
        url: "/api/v1/cms-sites/:id/scan-alerts/:alert",
        action: "cms_site.scan_alert",
        description: "One scan result with the change.",
        params: alertParams,
        reply: cmsScanAlert,
        handle: ({ ctx, params }) => tools().scanAlert(ctx, params.id, params.alert),
      }),
      route({
        method: "POST",
        url: "/api/v1/cms-sites/:id/firewall",
        action: "cms_site.firewall",
        description: "Switches the site's firewall (Admin Tools' system plugin) off or on again.",
        params: idParams,
        body: cmsFirewallRequest,
        reply: cmsFirewall,
        handle: ({ ctx, params, body }) => tools().firewall(ctx, params.id, body.enabled),
      }),
      route({
        method: "POST",
        url: "/api/v1/cms-sites/:id/temporary-admin",
        action: "cms_site.temporary_admin",
        description: "Creates a temporary Super User that expires; its password is answered once.",
        params: idParams,
        body: cmsTemporaryAdminRequest,
        reply: cmsTemporaryAdmin,
        status: 201,
        handle: ({ ctx, params, body }) => tools().temporaryAdmin(ctx, params.id, body.expiresAt),
      }),
      route({
        method: "GET",
        url: "/api/v1/cms-sites/:id/backups",
        action: "cms_site.backups",
        description: "Akeeba Backup's profiles and backup records.",
        params: idParams,
        reply: cmsBackups,
        handle: ({ ctx, params }) => tools().backups(ctx, params.id),
      }),
      route({
        method: "POST",
        url: "/api/v1/cms-sites/:id/backups",
        action: "cms_site.backup",
        description: "Takes a backup with an Akeeba Backup profile in a cms.backup task.",
        params: idParams,
        body: cmsBackupRequest,
        reply: cmsTaskStarted,
        status: 202,
        handle: ({ ctx, params, body }) => tools().takeBackup(ctx, params.id, body),
      }),
      route({
        method: "DELETE",
        url: "/api/v1/cms-sites/:id/backups/:record",
        action: "cms_site.backup_delete",
        description: "Deletes a backup record (and its files).",
        params: cmsSiteRecordParams,
        handle: ({ ctx, params }) => tools().deleteBackup(ctx, params.id, params.record, "record"),
      }),
      route({
        method: "DELETE",
        url: "/api/v1/cms-sites/:id/backups/:record/files",
        action: "cms_site.backup_delete_files",
        description: "Deletes a backup's archive files, keeping its record.",
        params: cmsSiteRecordParams,
        handle: ({ ctx, params }) => tools().deleteBackup(ctx, params.id, params.record, "files"),
      }),
    ],
  );
  app.get(
    "/api/v1/cms-sites/:id/backups/:record/download",
    {
      config: { action: "cms_site.backup_download" },
      schema: {
        tags: ["cms"],
        description: "Downloads a backup's archive from the site (Akeeba Backup), streamed.",
        params: cmsSiteRecordParams,
      },
    },
    async (req, reply) => {
      const { id, record } = req.params as z.output<typeof cmsSiteRecordParams>;
      const got = await tools().download(req.ctx, id, record);
      return reply
        .type("application/octet-stream")
        .header(
          "content-disposition",
          `attachment; filename="${got.name.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
        )
        .header("content-length", String(got.size))
        .send(Readable.from(got.bytes));
    },
  );
}
