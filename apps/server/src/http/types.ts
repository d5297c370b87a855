import type { Ctx } from "../access/types.ts";

declare module "fastify" {
  interface FastifyRequest {
    ctx: Ctx;
    /** gives this request's admission slot back (a stream that stays open for long) */
    releaseAdmission?(): void;
  }
  interface FastifyContextConfig {
    /** the audit action of this route, e.g. "user.create" */
    action?: string;
    /** "public" routes need no identity; all others need a session or an API key */
    auth?: "public" | "user";
  }
}
