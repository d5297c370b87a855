// A certificate put to work on its site's node, issued or uploaded alike: cert.install writes
// the chain (and an uploaded certificate's key) next to each other atomically, then site.apply
// renders the site's TLS server block and its verify's handshake must serve the installed
// serial. `op` runs one operation on the site's node and throws an OrderFailure in words
// when the node answers a failure.
import type { agent } from "@steward/contracts";
import type { Settings } from "../../config/schema.ts";
import type { Db } from "../../db/open.ts";
import { failureMessage } from "../sites/outcome.ts";
import type { SiteRecord } from "../sites/repo.ts";
import { applyInput } from "../sites/rules.ts";
import { policyForApply } from "../sites/upstream.ts";
import { OrderFailure } from "./order.ts";

/** Sends one operation to a node; throws when the node cannot be reached. */
export type CallOperation = <N extends agent.OperationName>(
  nodeId: string,
  name: N,
  input: agent.OpInput<N>,
  opts: {
    signal: AbortSignal;
    onLog: (line: string, level: "info" | "warn" | "error") => void;
    requestId: string;
  },
) => Promise<agent.OpResult>;

export type SiteOp = <N extends agent.OperationName>(
  name: N,
  input: agent.OpInput<N>,
) => Promise<agent.OpOutput<N>>;

/** Runs operations on a node, a failed result thrown as an OrderFailure in words. */
export function siteOp(
  call: CallOperation,
  nodeId: string,
  opts: Parameters<CallOperation>[3],
): SiteOp {
  return async (name, input) => {
    const result = await call(nodeId, name, input, opts);
    if (result.status !== "ok") throw new OrderFailure(failureMessage(result, true));
    return result.output as never;
  };
}

/**
 * Runs after a certificate was installed and served for a site (issued, renewed, uploaded):
 * other services using the same certificate install it again (mail: modules/mail/tasks.ts).
 */
export type AfterInstall = (siteId: string) => Promise<void>;

export async function installAndServe(
  deps: { db: Db; settings: Settings; afterInstall?: AfterInstall },
  op: SiteOp,
  site: SiteRecord,
  hsts: boolean,
  install: { certificate: string; key?: string },
) {
  const installed = await op("cert.install", { id: site.id, ...install });
  const policy = await policyForApply(deps.db.db, deps.settings, site.node_id, site.account_id);
  const applied = await op("site.apply", applyInput(site, policy, hsts));
  if (applied.tlsSerial !== installed.serial)
    throw new OrderFailure(
      `the node serves certificate ${applied.tlsSerial ?? "none"} after the install, not ${installed.serial}`,
    );
  await deps.afterInstall?.(site.id);
  return installed;
}
