// POST /api/v1/agent/enroll: `steward agent enroll` sends the token an admin made, a CSR for
// the agent's key and where the panel reaches it; the panel signs the CSR with its CA and the
// node becomes trusted, pinned to that certificate. Input is checked before anything is
// read or written; refusals of the token or the node are audited as node.enroll failures.
import { type agent, type ErrorCode, nodeAgentUrl, v } from "@steward/contracts";
import { readCsr } from "@steward/pki";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import { AppError, invalid } from "../../lib/errors.ts";
import { msToIso, toBool } from "../../lib/sql.ts";
import { consume, findByToken } from "./enrollments.ts";
import { NODE_FACTS } from "./kinds.ts";
import * as repo from "./repo.ts";
import type { NodesDeps } from "./service.ts";

/** The names an agent's certificate is valid for: its URL's host, and loopback when local. */
export function hostsFor(agentUrl: string, local: boolean): string[] {
  const host = new URL(agentUrl).hostname;
  return [...new Set([host, ...(local ? ["localhost", "127.0.0.1"] : [])])];
}

const hostname = v.text(253);

export function createEnroll({ db, pki, engine }: NodesDeps) {
  const k = db.db;

  /** Records the refusal (its own write: nothing else happens) and throws it. */
  async function refuse(
    ctx: Ctx,
    nodeId: string | null,
    code: ErrorCode,
    field: string,
    message: string,
  ): Promise<never> {
    await recordAudit(k, ctx, {
      action: "node.enroll",
      outcome: "failure",
      targetType: "node",
      targetId: nodeId,
      diff: { reason: `${field}: ${message}` },
    });
    throw new AppError(code, `${field}: ${message}`, [{ field, message }]);
  }

  async function checkInput(input: agent.EnrollRequest) {
    if (input.hostname !== undefined && !hostname.safeParse(input.hostname).success)
      throw invalid("hostname", "must be a host name without control characters");
    let url: string | undefined;
    if (input.agentUrl !== undefined) {
      const r = nodeAgentUrl.safeParse(input.agentUrl);
      if (!r.success) throw invalid("agentUrl", r.error.issues[0]?.message ?? "is not valid");
      url = r.data;
    }
    try {
      await readCsr(input.csr);
    } catch (e) {
      throw invalid("csr", (e as Error).message);
    }
    return url;
  }

  return async function enroll(
    ctx: Ctx,
    input: agent.EnrollRequest,
  ): Promise<agent.EnrollResponse> {
    const givenUrl = await checkInput(input);
    const now = Date.now();
    const found = await findByToken(k, input.token);
    const renew = "create a new one with `steward node token <node>`";
    if (!found)
      return refuse(
        ctx,
        null,
        "UNAUTHENTICATED",
        "token",
        `is not a valid enrollment token (a newer one replaces it); ${renew}`,
      );
    const nodeId = found.node_id;
    if (found.state === "revoked")
      return refuse(
        ctx,
        nodeId,
        "CONFLICT",
        "token",
        `node ${found.name} is revoked; add the server as a new node`,
      );
    if (found.used_at !== null)
      return refuse(
        ctx,
        nodeId,
        "UNAUTHENTICATED",
        "token",
        `was already used at ${msToIso(Number(found.used_at))}; ${renew}`,
      );
    if (Number(found.expires_at) <= now)
      return refuse(
        ctx,
        nodeId,
        "UNAUTHENTICATED",
        "token",
        `expired at ${msToIso(Number(found.expires_at))}; ${renew}`,
      );

    const agentUrl = givenUrl ?? found.agent_url;
    const cert = await pki.signNodeCsr(nodeId, input.csr, hostsFor(agentUrl, toBool(found.local)));
    const [ca, panel] = await Promise.all([pki.ca(), pki.panel()]);
    const outcome = await k.transaction().execute(async (trx) => {
      // the token is spent here: of two racing enrollments one certificate is recorded
      if (!(await consume(trx, found.id, now))) return "used";
      const trusted = await repo.trustNode(trx, nodeId, { agentUrl, ...cert, now });
      if (!trusted) return "revoked";
      await recordAudit(trx, ctx, {
        action: "node.enroll",
        targetType: "node",
        targetId: nodeId,
        diff: {
          state: { from: found.state, to: "trusted" },
          agentUrl,
          hostname: input.hostname ?? null,
          fingerprint: cert.fingerprint,
          certExpiresAt: msToIso(cert.expiresAt),
        },
      });
      await engine.enqueue(
        { kind: NODE_FACTS, payload: { nodeId }, target: { type: "node", id: nodeId } },
        trx,
      );
      return "enrolled";
    });
    if (outcome === "revoked")
      return refuse(ctx, nodeId, "CONFLICT", "token", `node ${found.name} was revoked meanwhile`);
    if (outcome === "used")
      return refuse(
        ctx,
        nodeId,
        "UNAUTHENTICATED",
        "token",
        `was used by another enrollment at the same time; ${renew}`,
      );
    return {
      nodeId,
      certificate: cert.certificate,
      caCertificate: ca.certificate,
      panelCertificate: panel.certificate,
    };
  };
}
