// Finding 6: X-Forwarded-For is believed only from the configured proxies, and then only up
// to the first address they did not add: a client cannot pick its address by sending the
// header itself, so per-address limits hold and the audit log shows the real address.
import { describe, expect, it } from "vitest";
import { THROTTLE } from "../modules/auth/throttle.ts";
import { auditRows, ORIGIN } from "../testing/auth.ts";
import { PASSWORD, type TestServer } from "../testing/harness.ts";
import { useServer } from "../testing/use-server.ts";

describe("trusted proxies", () => {
  const direct = useServer("sqlite");
  // the proxy is 127.0.0.1 (the test's own connection); it appends the client's address
  const proxied = useServer("sqlite", { env: { STEWARD_TRUST_PROXY: "127.0.0.1,10.0.0.0/8" } });

  const signIn = (s: TestServer, email: string, password: string, xff: string) =>
    s.request("POST", "/api/auth/sign-in/email", {
      body: { email, password },
      headers: { origin: ORIGIN, "x-forwarded-for": xff },
    });

  it("ignores X-Forwarded-For when no proxy is trusted", async () => {
    const u = await direct.createUser("direct@example.com");
    await signIn(direct, u.email, "wrong password", "198.51.100.7");
    const [event] = await auditRows(direct, "auth.sign-in.email");
    expect(event?.ip).toBe("127.0.0.1");
  });

  it("takes the rightmost untrusted address; forged leftmost entries change nothing", async () => {
    const u = await proxied.createUser("forger@example.com");
    // what a proxy forwards for a client at 203.0.113.9 that sent its own X-Forwarded-For
    for (let i = 0; i < THROTTLE.perIp; i++) {
      const res = await signIn(proxied, u.email, `wrong-${i}`, `192.0.2.${i}, 203.0.113.9`);
      expect(res.status).toBe(401);
    }
    // a trusted internal hop (10.1.2.3) between is skipped too
    const locked = await signIn(proxied, u.email, PASSWORD, "192.0.2.99, 203.0.113.9, 10.1.2.3");
    expect(locked.status).toBe(429);
    const ips = (await auditRows(proxied, "auth.sign-in.email")).map((e) => e.ip);
    expect(new Set(ips)).toEqual(new Set(["203.0.113.9"]));
  });
});
