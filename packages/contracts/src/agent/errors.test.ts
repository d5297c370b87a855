// The agent's error codes are decided in contracts: the wire refuses any other operation
// failure code, and a code the agent shares with the panel has the panel's status.
import { describe, expect, it } from "vitest";
import { errorStatus } from "../errors.ts";
import { agentErrorStatus, opFailureCode } from "./errors.ts";
import { opResult } from "./protocol.ts";

const failed = (code: string) => ({
  status: "failed",
  changed: false,
  steps: [],
  error: { code, message: "it failed" },
});

describe("agent error codes", () => {
  it("an operation result carries only a failure code of the enum", () => {
    for (const code of opFailureCode.options)
      expect(opResult.safeParse(failed(code)).success).toBe(true);
    const other = opResult.safeParse(failed("INVALID_INPUT"));
    expect(other.success).toBe(false);
    expect(other.error?.issues.map((issue) => issue.path.join("."))).toEqual(["error.code"]);
  });

  it("a code the agent shares with the panel has the panel's status", () => {
    const shared = Object.entries(agentErrorStatus).filter(([code]) => code in errorStatus);
    expect(shared.map(([code]) => code)).toEqual([
      "VALIDATION_FAILED",
      "BAD_REQUEST",
      "NOT_FOUND",
      "PAYLOAD_TOO_LARGE",
      "UNSUPPORTED_MEDIA_TYPE",
      "INTERNAL",
    ]);
    for (const [code, status] of shared)
      expect(status).toBe(errorStatus[code as keyof typeof errorStatus]);
  });
});
