// node.rotate-cert: for each trusted node whose certificate expires within 30 days (or one
// node, now): the agent makes a new key and CSR, the panel signs it, records it as the next
// certificate, the agent installs it, and the panel pins it. Until the agent has installed it
// the old certificate stays valid and pinned; the next one is accepted too from the moment it
// is recorded, so a failure between install and pin does not lock the panel out.
import { agent } from "@steward/contracts";
import { type Ctx, systemActor } from "../../access/types.ts";
import { agentRequest } from "../../agents/client.ts";
import { recordAudit } from "../../audit/log.ts";
import type { HandlerContext } from "../../engine/types.ts";
import { msToIso, toBool } from "../../lib/sql.ts";
import { hostsFor } from "./enroll.ts";
import * as repo from "./repo.ts";
import type { NodeTaskDeps } from "./tasks.ts";

export const ROTATE_BEFORE_DAYS = 30;
const DAY = 86_400_000;

interface Target {
  id: string;
  name: string;
  agent_url: string;
  local: number;
  cert_fingerprint: string | null;
}

export async function rotateCertificates(
  deps: NodeTaskDeps,
  ctx: HandlerContext<{ nodeId?: string }>,
) {
  const k = deps.db.db;
  const { nodeId } = ctx.task.payload;
  const nodes = await repo.nodesToCheck(k, {
    states: ["trusted"],
    ...(nodeId ? { id: nodeId } : { expiringBefore: Date.now() + ROTATE_BEFORE_DAYS * DAY }),
  });
  if (nodeId && nodes.length === 0)
    throw new Error(
      `node ${nodeId} is not trusted (not enrolled, unreachable or revoked): nothing to rotate`,
    );
  const audit: Ctx = {
    actor: systemActor("node.rotate-cert"),
    grants: [],
    ip: null,
    requestId: ctx.task.id,
  };
  const request = (n: Target, path: string, body: unknown) =>
    agentRequest(deps, n.id, {
      method: "POST",
      path,
      sub: "cert",
      body,
      requestId: ctx.task.id,
      signal: ctx.signal,
    });

  async function rotate(n: Target) {
    ctx.log.info(`node ${n.name}: asking the agent for a new key`);
    const csr = agent.certCsrResponse.safeParse(await request(n, "/v1/cert/csr", {}));
    if (!csr.success)
      throw new Error(`the agent of node ${n.name} did not send a certificate request`);
    let signed: Awaited<ReturnType<typeof deps.pki.signNodeCsr>>;
    try {
      signed = await deps.pki.signNodeCsr(
        n.id,
        csr.data.csr,
        hostsFor(n.agent_url, toBool(n.local)),
      );
    } catch (e) {
      throw new Error(
        `the certificate request of node ${n.name} is not valid: ${(e as Error).message}`,
      );
    }
    await repo.setNextCertificate(k, n.id, signed);
    await request(n, "/v1/cert/install", { certificate: signed.certificate });
    await k.transaction().execute(async (trx) => {
      // the client may have pinned it already, on seeing it in use
      await repo.pinCertificate(trx, n.id, signed.fingerprint, signed);
      await recordAudit(trx, audit, {
        action: "node.cert_rotate",
        targetType: "node",
        targetId: n.id,
        diff: {
          fingerprint: { from: n.cert_fingerprint, to: signed.fingerprint },
          certExpiresAt: msToIso(signed.expiresAt),
        },
      });
    });
    ctx.log.info(`node ${n.name}: new certificate in place until ${msToIso(signed.expiresAt)}`);
  }

  const failed: string[] = [];
  for (const [i, n] of nodes.entries()) {
    try {
      await rotate(n);
    } catch (err) {
      if (nodeId || ctx.signal.aborted) throw err;
      failed.push(n.name);
      ctx.log.error(`node ${n.name}: ${(err as Error).message}`);
    }
    await ctx.progress((i + 1) / nodes.length);
  }
  if (nodes.length === 0) ctx.log.info("no certificate expires within 30 days");
  if (failed.length)
    throw new Error(
      `could not rotate the certificate of ${failed.join(", ")}; the old ones stay valid until they expire`,
    );
  return { rotated: nodes.length };
}
