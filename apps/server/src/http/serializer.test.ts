// Answers serialized from the reply schema's JSON Schema (serializer.ts) are the JSON zod's
// serializer wrote: same fields, same order, undeclared fields dropped; a schema JSON Schema
// cannot express still goes through zod; a missing field of an object whose fields are all
// required still fails the answer.
import * as contracts from "@steward/contracts";
import { auditEvent, errorBody, page, site, task } from "@steward/contracts";
import fastJson from "fast-json-stringify";
import { serializerCompiler as zodSerializer } from "fastify-type-provider-zod";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { outputJsonSchema, serializerCompiler } from "./serializer.ts";

const route = (schema: z.ZodType) => ({ schema, method: "GET", url: "/x", httpStatus: "200" });
const ours = (schema: z.ZodType) => serializerCompiler(route(schema) as never);
const zods = (schema: z.ZodType) => zodSerializer(route(schema) as never);

const at = "2026-12-05T10:00:00.000Z";
const aTask = {
  id: "t1",
  kind: "site.apply",
  title: "apply site a.example",
  targetName: null,
  payload: { site: "s1", nested: [1, "two", null] },
  targetType: "site",
  targetId: "s1",
  accountId: null,
  state: "failed",
  enabled: true,
  cancelRequested: false,
  priority: 5,
  runAt: at,
  expression: null,
  timezone: null,
  onSuccess: "delete",
  attempts: 2,
  maxAttempts: 3,
  progress: 0.5,
  progressMessage: 'half "way" \u2028 there',
  result: undefined,
  lastError: "boom\n",
  lastOutcome: "failed",
  parentId: null,
  createdBy: "u1",
  startedAt: at,
  finishedAt: null,
  createdAt: at,
  updatedAt: at,
};
const anEvent = {
  id: "e1",
  at,
  actorType: "user",
  actorId: "u1",
  actorName: "a@example.com",
  action: "site.create",
  targetType: "site",
  targetId: "s1",
  targetName: "a.example",
  accountId: "acc1",
  outcome: "success",
  ip: "127.0.0.1",
  requestId: "r1",
  diff: { before: null, after: { name: "a.example" } },
};

describe("the reply serializer", () => {
  it("writes what zod's serializer wrote for pages of tasks and audit events", () => {
    const tasks = { items: [aTask, { ...aTask, id: "t2", result: { ok: 1 } }], nextCursor: "c" };
    expect(ours(page(task))(tasks)).toBe(zods(page(task))(tasks));
    const audit = { items: [anEvent, { ...anEvent, diff: null }], nextCursor: null };
    expect(ours(page(auditEvent))(audit)).toBe(zods(page(auditEvent))(audit));
    const error = { error: { code: "BAD_REQUEST", message: "no", details: [], requestId: "r" } };
    expect(ours(errorBody)(error)).toBe(zods(errorBody)(error));
  });

  it("compiles every list item the bench measures, and every schema of the contracts", () => {
    for (const item of [task, auditEvent, site, errorBody])
      expect(outputJsonSchema(page(item))).not.toBeNull();
    const schemas = Object.values(contracts).filter((s) => s instanceof z.ZodType);
    expect(schemas.length).toBeGreaterThan(50);
    for (const schema of schemas) {
      const json = outputJsonSchema(schema);
      if (json) expect(typeof fastJson(json as never)).toBe("function");
    }
  });

  it("sends only the declared fields", () => {
    const schema = z.object({ id: z.string(), name: z.string().nullable() });
    const out = ours(schema)({ id: "a", name: null, passwordHash: "secret" });
    expect(out).toBe('{"id":"a","name":null}');
  });

  it("leaves a schema JSON Schema cannot express to zod, which checks it", () => {
    const schema = z.object({ at: z.date() });
    expect(outputJsonSchema(schema)).toBeNull();
    expect(ours(schema)({ at: new Date(0) })).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
    expect(() => ours(schema)({ at: "yesterday" })).toThrow();
  });

  it("fails an answer without a required field", () => {
    const schema = z.object({ id: z.string(), name: z.string() });
    expect(() => ours(schema)({ id: "a" })).toThrow(/name/);
  });
});
