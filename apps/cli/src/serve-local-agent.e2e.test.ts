// `steward serve` runs an agent for its own machine: node "local" is created, enrolled through
// the public enrollment path with a single-use token, and trusted, with facts, without any
// step from the person; after a restart the same node is used again (no second enrollment).
// The agent runs with a minimal environment of its own: the panel's secrets stay in the panel.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { removeDataDirs, tempDataDir, warmUp } from "./testing/cli.ts";
import { killRunning, serveWithLocalAgent, until } from "./testing/local-agent.ts";

/** A process's environment as the kernel holds it (NAME=value entries). */
const environOf = (pid: number) => readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");

afterAll(() => {
  killRunning();
  removeDataDirs();
});

describe("the local agent", () => {
  it("enrolls itself and becomes a trusted node with facts, once", async () => {
    await warmUp();
    const dataDir = tempDataDir("steward-local-agent-");
    const [port, agentPort] = [await freePort(), await freePort()];
    const url = `http://127.0.0.1:${port}`;
    // a secret in the panel's environment
    const secret = { STEWARD_MASTER_KEY: randomBytes(32).toString("base64") };
    const first = serveWithLocalAgent(dataDir, port, agentPort, secret);
    const token = await until(
      "the setup token",
      async () => /setup\?token=([\w-]+)/.exec(first.out())?.[1],
    );
    const setup = await fetch(`${url}/api/v1/setup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        token,
        email: "root@example.com",
        password: "correct horse battery staple",
      }),
    });
    expect(setup.status).toBe(201);
    const signIn = await fetch(`${url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: url },
      body: JSON.stringify({ email: "root@example.com", password: "correct horse battery staple" }),
    });
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const nodes = async () =>
      (await (await fetch(`${url}/api/v1/nodes`, { headers: { cookie } })).json()) as {
        items: { id: string; name: string; state: string }[];
      };
    const local = await until("node local to be trusted", async () =>
      (await nodes()).items.find((n) => n.name === "local" && n.state === "trusted"),
    );
    // facts come from the running agent (the node.facts task after enrollment)
    const facts = await until("facts", async () => {
      const n = (await (
        await fetch(`${url}/api/v1/nodes/${local.id}`, { headers: { cookie } })
      ).json()) as {
        facts: { hostname: string; cpus: number } | null;
      };
      return n.facts ?? undefined;
    });
    expect(facts.cpus).toBeGreaterThan(0);
    // ...reaches the panel, not its agent
    const agentPid = Number.parseInt(readFileSync(join(dataDir, "local-agent.pid"), "utf8"), 10);
    const panelSecret = `STEWARD_MASTER_KEY=${secret.STEWARD_MASTER_KEY}`;
    expect(environOf(first.child.pid as number)).toContain(panelSecret);
    const agentEnv = environOf(agentPid);
    expect(agentEnv.some((entry) => entry.includes(secret.STEWARD_MASTER_KEY))).toBe(false);
    expect(agentEnv.filter((entry) => entry.startsWith("STEWARD_"))).toEqual([]);

    first.child.kill("SIGTERM");
    await new Promise((r) => first.child.once("exit", r));
    const second = serveWithLocalAgent(dataDir, port, agentPort, secret);
    await until("the panel again", async () =>
      (await fetch(`${url}/healthz`)).ok ? true : undefined,
    );
    // the same node answers its heartbeat again; no second node, no new enrollment
    const audit = async () =>
      (await (
        await fetch(`${url}/api/v1/audit-events?action=node.enroll&limit=50`, {
          headers: { cookie },
        })
      ).json()) as {
        items: { outcome: string }[];
      };
    await until("the restarted agent's health", async () => {
      const r = await fetch(`${url}/api/v1/nodes/${local.id}`, { headers: { cookie } });
      const n = (await r.json()) as { state: string; lastSeenAt: string | null };
      return n.state === "trusted" && n.lastSeenAt && Date.parse(n.lastSeenAt) > Date.now() - 60_000
        ? n
        : undefined;
    });
    expect((await nodes()).items.filter((n) => n.name === "local")).toHaveLength(1);
    expect((await audit()).items.filter((e) => e.outcome === "success")).toHaveLength(1);
    second.child.kill("SIGTERM");
    await new Promise((r) => second.child.once("exit", r));
  }, 180_000);
});
