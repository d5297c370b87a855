// The ping probe with the system's ping (iputils): 127.0.0.1 answers under a policy opened for
// the test, TEST-NET-2 (198.51.100.0/24, routed nowhere) does not; the production policy
// refuses loopback and link-local before ping runs; a host where ping may not open its socket
// says so (the text is iputils' own, from a copy of ping without its capability).
import { pingMonitor } from "@steward/contracts/monitors";
import { DEFAULT_POLICY } from "@steward/contracts/net";
import { describe, expect, it } from "vitest";
import { NOT_PERMITTED, pingArgs, probePing, readPing } from "./ping.ts";

const policy = { ...DEFAULT_POLICY, allow: ["127.0.0.1/32", "198.51.100.0/24"] };
const settings = (host: string, extra: Record<string, unknown> = {}) =>
  pingMonitor.parse({ kind: "ping", host, ...extra });

describe("ping probe", () => {
  it("is up with every reply, giving the loss and the average round trip", async () => {
    const result = await probePing(settings("127.0.0.1", { count: 2 }), 2000, { policy });
    expect(result.outcome).toBe("up");
    expect(result.message).toMatch(/^2 of 2 replies \(0% loss\), [\d.]+ ms average$/);
    expect(result.responseMs).toBeGreaterThanOrEqual(0);
  });

  it("is degraded when slower than degradedAboveMs allows", async () => {
    // loopback answers in well under a millisecond: the threshold is read off ping's summary
    const run = {
      exitCode: 0,
      stdout:
        "3 packets transmitted, 3 received, 0% packet loss, time 402ms\nrtt min/avg/max/mdev = 40.1/52.6/70.2/9.1 ms\n",
      stderr: "",
    };
    const slow = readPing(run, settings("example.com", { degradedAboveMs: 50 }));
    expect(slow).toMatchObject({ outcome: "degraded", responseMs: 53 });
    expect(slow.message).toBe("3 of 3 replies (0% loss), 52.6 ms average: slow");
    const lossy = readPing(
      { ...run, stdout: run.stdout.replace("3 received, 0%", "2 received, 33.3333%") },
      settings("example.com"),
    );
    expect(lossy.outcome).toBe("degraded");
    expect(lossy.message).toContain("2 of 3 replies (33.3333% loss)");
  });

  it("is down when nothing answers", async () => {
    const result = await probePing(settings("198.51.100.7", { count: 1 }), 1000, { policy });
    expect(result.outcome).toBe("down");
    expect(result.message).toBe("no reply from 198.51.100.7: 0 of 1 replies (100% loss)");
  });

  it("refuses loopback and link-local under the production policy, before ping runs", async () => {
    const strict = { policy: DEFAULT_POLICY };
    expect((await probePing(settings("127.0.0.1"), 1000, strict)).message).toBe(
      "host: 127.0.0.1 is a loopback address, which this panel does not allow",
    );
    const linkLocal = await probePing(settings("fe80::1"), 1000, strict);
    expect(linkLocal.outcome).toBe("down");
    expect(linkLocal.message).toMatch(/^host: fe80::1 is a link-local address/);
  });

  it("hands ping an address after --, never a name or an option", () => {
    expect(pingArgs("192.0.2.1", 3, 2500)).toEqual([
      "-n",
      "-c",
      "3",
      "-i",
      "0.2",
      "-W",
      "3",
      "-w",
      "3",
      "--",
      "192.0.2.1",
    ]);
  });

  it("says ping is not permitted (not down) where it may not open its socket", () => {
    const stderr = [
      "/tmp/ping: socktype: SOCK_RAW",
      "/tmp/ping: socket: Operation not permitted",
      "/tmp/ping: => missing cap_net_raw+p capability or setuid?",
    ].join("\n");
    const result = readPing({ exitCode: 2, stdout: "", stderr }, settings("127.0.0.1"));
    expect(result).toEqual({ outcome: "degraded", responseMs: null, message: NOT_PERMITTED });
  });
});
