// POST /v1/ops/<name> through the real server: refusals before running, then the NDJSON stream.
import { opStreamLine } from "@steward/contracts/agent";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestAgent, type TestAgent } from "../testing/agent.ts";

let t: TestAgent;
beforeAll(async () => {
  t = await startTestAgent();
});
afterAll(() => t?.stop());

const error = (r: { json(): unknown }) => (r.json() as { error: Record<string, unknown> }).error;

describe("POST /v1/ops/<name>", () => {
  it("streams log lines then one result line (system.ping)", async () => {
    const r = await t.call("/v1/ops/system.ping", {
      body: { version: 1, input: { message: "hello" } },
      requestId: "req-ping-1",
    });
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe("application/x-ndjson");
    const lines = r.lines().map((l) => opStreamLine.parse(l));
    expect(lines[0]).toMatchObject({ type: "log", level: "info", message: "pong: hello" });
    const last = lines[lines.length - 1];
    expect(lines.filter((l) => l.type === "result")).toHaveLength(1);
    if (last?.type !== "result") throw new Error("the last line must be the result");
    expect(last.result).toMatchObject({
      status: "ok",
      changed: false,
      output: { message: "hello" },
    });
    expect(last.result.steps[0]).toMatchObject({ name: "read the clock", command: null, ok: true });
    expect(t.logs.some((l) => l.reqId === "req-ping-1" && l.op === "system.ping")).toBe(true);
  });

  it("400 naming the field when the input is invalid", async () => {
    const r = await t.call("/v1/ops/system.ping", {
      body: { version: 1, input: { message: "x".repeat(201) } },
    });
    expect(r.status).toBe(400);
    expect(error(r)).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(error(r).message).toMatch(/^input\.message /);
    expect(error(r).details).toEqual([expect.objectContaining({ field: "input.message" })]);
    const extra = await t.call("/v1/ops/system.ping", { body: { version: 1, input: { x: 1 } } });
    expect(extra.status).toBe(400);
    expect(error(extra).message).toMatch(/^input .*"x"/);
  });

  it("400 for a missing or unsupported version, or a body that is not JSON", async () => {
    const missing = await t.call("/v1/ops/system.ping", { body: { input: {} } });
    expect(missing.status).toBe(400);
    expect(error(missing).message).toMatch(/^body\.version /);
    const v2 = await t.call("/v1/ops/system.ping", { body: { version: 2, input: {} } });
    expect(v2.status).toBe(400);
    expect(error(v2)).toMatchObject({
      code: "UNSUPPORTED_VERSION",
      message: "system.ping version 2 is not supported (this agent runs version 1)",
    });
    const notJson = await t.call("/v1/ops/system.ping", { body: "{", method: "POST" });
    expect(notJson.status).toBe(400);
  });

  it("answers with the panel's codes for a body that is not JSON or is too large", async () => {
    const notJson = await t.call("/v1/ops/system.ping", { raw: "{", method: "POST" });
    expect([notJson.status, error(notJson).code]).toEqual([400, "BAD_REQUEST"]);
    const large = await t.call("/v1/ops/system.ping", {
      raw: JSON.stringify({ version: 1, input: { message: "x".repeat(1024 * 1024) } }),
      method: "POST",
    });
    expect([large.status, error(large).code]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
  });

  it("takes a node's whole mail state over 1 MiB (mail.apply's own limit), not more", async () => {
    const hash = `{ARGON2ID}$argon2id$v=19$m=19456,t=2,p=1$${"a".repeat(22)}$${"b".repeat(43)}`;
    const mailboxes = Array.from({ length: 6_000 }, (_, i) => ({
      address: `user${i}@big.test`,
      hash,
      quotaMb: 0,
      enabled: true,
    }));
    const input = { domains: ["big.test"], mailboxes, aliases: [] };
    const body = JSON.stringify({ version: 1, input });
    expect(body.length).toBeGreaterThan(1024 * 1024);
    const r = await t.call("/v1/ops/mail.apply", { raw: body, method: "POST" });
    // read, validated and run: this agent serves no mail
    expect(r.status).toBe(200);
    const last = r
      .lines()
      .map((l) => opStreamLine.parse(l))
      .at(-1);
    expect(last?.type === "result" && last.result.error?.code).toBe("MAIL_NOT_CONFIGURED");
    const huge = await t.call("/v1/ops/mail.apply", {
      raw: JSON.stringify({ version: 1, input: { domains: ["x".repeat(64 * 1024 * 1024)] } }),
      method: "POST",
    });
    expect([huge.status, error(huge).code]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
  });

  it("404 for an operation that does not exist", async () => {
    for (const name of ["nope", "__proto__", "toString"]) {
      const r = await t.call(`/v1/ops/${name}`, { body: { version: 1, input: {} } });
      expect(r.status).toBe(404);
      expect(error(r).code).toBe("UNKNOWN_OPERATION");
    }
  });
});
