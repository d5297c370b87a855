// bench:mail, Steward's side: the panel in this process (the test harness: the real engine
// and worker, SQLite) with an agent enrolled through the public endpoint whose agent.json
// points at the hermetic Postfix + Dovecot. `clients` API clients create the mailboxes one
// POST after another (each returns at 201, as a script or `steward state apply` would), so
// creates arrive together: each enqueues its domain's mail.apply with bringForward, and every
// create that arrives while an apply runs joins the one queued twin (docs/tasks.md). A
// create's time runs from its request to the end of the apply that answered it (its task's
// finished_at: the node's verify passed, the new address accepted at RCPT and known to
// Dovecot). The agent runs as a process of its own (`steward agent`), as on a node: in this
// process it would wait behind the panel's password hashing and requests.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mailSection } from "@steward/agent/testing";
import { buildWorld } from "@steward/server/testing/fixtures";
import { startTestServer } from "@steward/server/testing/harness";
import { enrollNode, settleTask, taskLogText } from "@steward/server/testing/real-node";
import type { MailServer } from "@steward/testkit";

export interface PanelRun {
  /** ms from the first request to each create's request, in creation order */
  arrivals: number[];
  /** ms from each create's request to its apply's end */
  times: number[];
  /** mail.apply tasks run for the creates */
  applies: number;
  /** the last apply's staging of the files (the agent's mapMs) */
  mapRebuildMs: number;
  totalS: number;
}

/** `steward agent --dir D` started; answers once it says it listens. */
async function agentProcess(dir: string): Promise<ChildProcess> {
  const main = new URL("../../apps/cli/src/agent-main.ts", import.meta.url).pathname;
  const child = spawn(process.execPath, [main, "agent", "--dir", dir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout?.setEncoding("utf8").on("data", (d: string) => {
      out = `${out}${d}`.slice(-10_000);
      if (out.includes('"msg":"agent listening"')) resolve();
    });
    child.on("exit", (code) => reject(new Error(`the agent exited (${code}): ${out}`)));
  });
  child.stdout?.resume();
  return child;
}

export async function panelCreates(
  m: MailServer,
  o: { domain: string; count: number; clients: number; say: (m: string) => void },
): Promise<PanelRun> {
  const s = await startTestServer("sqlite");
  const w = await buildWorld(s);
  s.svc.engine.startWorker();
  const node = await enrollNode(s, w.keys.super, {
    name: "mail-node",
    listen: "127.0.0.1",
    agentJson: { mail: mailSection(m) },
  });
  await node.agent?.close(1000);
  node.agent = null;
  const agent = await agentProcess(node.dir);
  try {
    const api = async (url: string, body: unknown) => {
      const r = await s.request("POST", url, { key: w.keys.super, body });
      if (r.status !== 201) throw new Error(`${url}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body as { id: string; taskId: string };
    };
    const settle = async (taskId: string) => {
      const task = await settleTask(s, taskId, 30 * 60_000);
      if (task.state !== "succeeded")
        throw new Error(
          `mail.apply ${task.state}: ${task.last_error}\n${await taskLogText(s, taskId)}`,
        );
      return task;
    };
    const domain = await api("/api/v1/mail/domains", {
      name: o.domain,
      node: node.id,
      account: w.a,
    });
    await settle(domain.taskId);
    const url = `/api/v1/mail/domains/${domain.id}/mailboxes`;
    const sent: { at: number; taskId: string }[] = [];
    const t0 = Date.now();
    let next = 0;
    const client = async () => {
      for (let i = next++; i < o.count; i = next++) {
        const at = Date.now();
        const { taskId } = await api(url, { localPart: `user${i}`, password: "bench-password" });
        sent[i] = { at, taskId };
        if ((i + 1) % 500 === 0) o.say(`steward: ${i + 1} mailboxes requested`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(o.clients, o.count) }, client));
    o.say(`steward: every create requested in ${Date.now() - t0} ms; waiting for the applies`);
    const ids = [...new Set(sent.map((x) => x.taskId))];
    const tasks = new Map<string, { finished: number; result: string | null }>();
    for (const id of ids) {
      const task = await settle(id);
      tasks.set(id, { finished: Number(task.finished_at), result: task.result });
    }
    const end = (taskId: string) => tasks.get(taskId)?.finished ?? Number.NaN;
    const last = [...tasks.values()].sort((a, b) => a.finished - b.finished).at(-1);
    const output = JSON.parse(last?.result ?? "{}") as { output?: { mapMs?: number } };
    return {
      arrivals: sent.map((x) => x.at - t0),
      times: sent.map((x) => end(x.taskId) - x.at),
      applies: ids.length,
      mapRebuildMs: output.output?.mapMs ?? Number.NaN,
      totalS: Math.round((Math.max(...sent.map((x) => end(x.taskId))) - t0) / 100) / 10,
    };
  } finally {
    const exited = once(agent, "exit");
    agent.kill("SIGTERM");
    await exited;
    await node.close();
    await s.close();
  }
}
