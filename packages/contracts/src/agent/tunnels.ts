// tunnel.ingress: a node's cloudflared `config.yml` ingress (issue 16). The agent reads the
// file (the path in its agent.json), adds or removes one rule `{hostname, service:
// http://localhost:PORT}` with the catch-all rule kept last, refuses a hostname already
// routed, validates the result (cloudflared's own `tunnel ingress validate` when the binary is
// there, its schema check otherwise), backs the file up, writes it atomically and restarts the
// tunnel's service, restoring the file when anything fails. "read" changes nothing (preview).
import { z } from "zod";
import { domain, port } from "../validators.ts";

export const tunnelIngressInput = z.discriminatedUnion("action", [
  z.strictObject({ action: z.literal("read") }),
  z.strictObject({ action: z.literal("add"), hostname: domain, port }),
  z.strictObject({ action: z.literal("remove"), hostname: domain }),
]);
export type TunnelIngressInput = z.infer<typeof tunnelIngressInput>;

export const ingressRule = z.object({
  hostname: z.string().nullable(),
  path: z.string().nullable(),
  service: z.string(),
});
export type IngressRule = z.infer<typeof ingressRule>;

export const tunnelIngressOutput = z.object({
  changed: z.boolean(),
  /** the file's text as it stands after the operation */
  config: z.string(),
  /** the `tunnel:` key of the file (its id or name), when set */
  tunnel: z.string().nullable(),
  ingress: z.array(ingressRule),
  /** how the result was validated: cloudflared itself, or the agent's schema check */
  validatedBy: z.enum(["cloudflared", "schema"]).nullable(),
  /** where the previous file was copied before writing */
  backup: z.string().nullable(),
  /** the tunnel's service restarted; false with `note` when the node has no service control */
  restarted: z.boolean(),
  note: z.string().nullable(),
});
export type TunnelIngressOutput = z.infer<typeof tunnelIngressOutput>;
