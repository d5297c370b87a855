// /api/v1/system-users (docs/hosting.md): one resource for SSH/SFTP and FTP logins of hosting
// accounts on nodes; parse, then delegate to the service (which authorizes, queues the
// node's apply and audits). Deletes name the user again (`?confirm=<name>`).
import {
  accountDiskUsage,
  ftpCertificate,
  ftpCertificateUpdate,
  sysUser,
  sysUserCreate,
  sysUserDeleteQuery,
  sysUserDetail,
  sysUserListQuery,
  sysUserUpdate,
} from "@steward/contracts/hosting";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { declareRoutes, route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function systemUsersRoutes(fastify: FastifyInstance, svc: Services) {
  const base = "/api/v1/system-users";
  declareRoutes(
    fastify,
    ["system-users"],
    [
      route({
        method: "GET",
        url: base,
        action: "system-user.list",
        description:
          "An account's system users on its nodes, newest first (at most 500): shell access, FTP, keys, whether a password is set, their apply's status.",
        query: sysUserListQuery,
        reply: z.object({ items: z.array(sysUser) }),
        handle: async ({ ctx, query }) => ({
          items: await svc.systemUsers.list(ctx, query.account),
        }),
      }),
      route({
        method: "GET",
        url: `${base}/:id`,
        action: "system-user.get",
        description:
          "A system user, with what its home held at the last measurement (`usage`, null until the hourly task sysusers.usage measured it), its quota (`quotaMb`) and whether its node enforces it (`quotaEnforced`).",
        params: idParams,
        reply: sysUserDetail,
        handle: ({ ctx, params }) => svc.systemUsers.get(ctx, params.id),
      }),
      route({
        method: "GET",
        url: "/api/v1/accounts/:id/disk-usage",
        action: "system-user.disk-usage",
        description:
          "What the account's system users hold on its nodes (the hourly task sysusers.usage walks each home): each user's bytes and files and quota, and the account's total (its main users' homes, which hold the secondary users' homes). A quota is enforced only where the node's filesystem has user quotas (`quotaEnforced`).",
        params: idParams,
        reply: accountDiskUsage,
        handle: ({ ctx, params }) => svc.systemUsers.accountDiskUsage(ctx, params.id),
      }),
      route({
        method: "POST",
        url: base,
        action: "system-user.create",
        description:
          "Creates the account's main user on a node (with its CGI user `<name>-cgi`) or a secondary user with a home inside the account's home; the node is changed by a task (`taskId`). The password is hashed (SHA-512 crypt) and never answered.",
        body: sysUserCreate,
        reply: sysUser,
        status: 201,
        handle: ({ ctx, body }) => svc.systemUsers.create(ctx, body),
      }),
      route({
        method: "PATCH",
        url: `${base}/:id`,
        action: "system-user.update",
        description:
          "Changes a user's shell access, FTP, SSH keys, password (null: keys only) or disk quota (`quotaMb`, null or 0: none); applied by a task.",
        params: idParams,
        body: sysUserUpdate,
        reply: sysUser,
        handle: ({ ctx, params, body }) => svc.systemUsers.update(ctx, params.id, body),
      }),
      route({
        method: "DELETE",
        url: `${base}/:id`,
        action: "system-user.delete",
        description:
          "Deletes the user on its node (a task; the row goes when it succeeds). `confirm` must be its name; a main user goes after its secondary users, with the account's files when `deleteFiles=true`.",
        params: idParams,
        query: sysUserDeleteQuery,
        reply: sysUser,
        status: 202,
        handle: ({ ctx, params, query }) =>
          svc.systemUsers.remove(ctx, params.id, query.confirm, query.deleteFiles),
      }),
      route({
        method: "GET",
        url: "/api/v1/nodes/:id/ftp-certificate",
        action: "node.ftp_certificate.get",
        description:
          "The site (on this node) whose certificate the node's FTPS (pure-ftpd) serves, the serial last installed and its task; `site: null`: the node's own setup.",
        params: idParams,
        reply: ftpCertificate,
        handle: ({ ctx, params }) => svc.ftpTls.get(ctx, params.id),
      }),
      route({
        method: "PUT",
        url: "/api/v1/nodes/:id/ftp-certificate",
        action: "node.ftp_certificate.set",
        description:
          "Names the site on this node whose certificate pure-ftpd serves for explicit FTPS (installed now by an ftp.tls task, and again on every renewal of that certificate), or `null` (pure-ftpd keeps the file it has). Installation admins only: every account's FTP users on the node see it.",
        params: idParams,
        body: ftpCertificateUpdate,
        reply: ftpCertificate,
        handle: ({ ctx, params, body }) => svc.ftpTls.set(ctx, params.id, body.site),
      }),
    ],
  );
}
