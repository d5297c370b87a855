// Public routes for installing an agent (docs/install.md): the installer and the single-file
// agent's builds. No account needed (public code, no secret in them), rate-limited per
// address like the other public routes; not in the OpenAPI document (not JSON).
import { createReadStream } from "node:fs";
import { agent } from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Services } from "../../services.ts";

/** per address: a fleet behind one NAT installs a few dozen servers a minute */
export const installRateLimit = { max: 60, timeWindow: "1 minute" };

const fileParams = z.strictObject({
  version: agent.agentVersion,
  file: z
    .string()
    .max(64)
    .regex(
      /^steward-agent-linux-(x64|arm64)(\.sha256)?$/,
      "must be steward-agent-linux-<x64|arm64>[.sha256]",
    ),
});

export function installRoutes(app: FastifyInstance, svc: Services) {
  const config = { auth: "public" as const, rateLimit: installRateLimit };
  app.get(
    "/install/agent.sh",
    { config: { ...config, action: "install.script" }, schema: { tags: ["install"], hide: true } },
    async (_req, reply) =>
      reply
        .type("text/x-shellscript; charset=utf-8")
        .header("cache-control", "no-store")
        .send(svc.install.installer()),
  );
  app.get(
    "/install/agent/:version/:file",
    {
      config: { ...config, action: "install.agent" },
      schema: { tags: ["install"], hide: true, params: fileParams },
    },
    async (req, reply) => {
      const { version, file } = req.params as z.output<typeof fileParams>;
      const checksum = file.endsWith(".sha256");
      const arch = file.slice("steward-agent-linux-".length).replace(/\.sha256$/, "");
      const release = svc.install.release(version, arch);
      if (checksum)
        return reply
          .type("text/plain; charset=utf-8")
          .send(`${release.sha256}  steward-agent-linux-${release.arch}\n`);
      const stream = createReadStream(release.file);
      reply.raw.on("close", () => stream.destroy());
      return reply
        .type("application/octet-stream")
        .header("content-length", release.size)
        .header("x-checksum-sha256", release.sha256)
        .send(stream);
    },
  );
}
