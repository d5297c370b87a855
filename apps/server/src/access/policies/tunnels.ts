// Cloudflare tunnels (issue 16) run on a node every tenant shares and forward to any port of
// it: super users set them up and forward hostnames. A tenant forwarding its own app's port
// waits for the apps module (the upstream policy then allows exactly that port).
import { type Decision, holds } from "../decision.ts";
import type { Ctx } from "../types.ts";
import { SYSTEM } from "./common.ts";

const installation = (ctx: Ctx): Decision => holds(ctx, SYSTEM, "system");

export const tunnels = {
  /** see tunnels, their status, config preview and routes */
  canRead: installation,
  /** add or remove a tunnel, forward a hostname to a port of its node or stop it */
  canManage: installation,
};
