// Finding 3: the sign-in throttle cannot be walked around. Paths better-auth would normalise
// ("./", "../", "#", "//", encoded slashes) are refused before anything routes on them;
// concurrent wrong passwords are reserved before they are checked, so no more than the limit
// are ever evaluated; better-auth's API key endpoints are not reachable by any spelling.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { auditRows, ORIGIN } from "../../testing/auth.ts";
import { masterKeyOf, PASSWORD, startTestServer, type TestServer } from "../../testing/harness.ts";
import { rawHttp } from "../../testing/hostile.ts";
import { useServer } from "../../testing/use-server.ts";
import { THROTTLE } from "./throttle.ts";

// The server trusts 127.0.0.1 as a proxy, so each test is another client address and the
// per-address limit of 20 POSTs a minute on /api/auth/* is not what is measured.
let client = 0;
const nextClient = () => `203.0.113.${++client}`;

function rawPost(s: TestServer, from: string, path: string, body: unknown, extra = "") {
  const text = JSON.stringify(body);
  return rawHttp(
    s.url,
    `POST ${path} HTTP/1.1\r\nHost: localhost\r\nOrigin: ${ORIGIN}\r\n${extra}` +
      `X-Forwarded-For: ${from}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n` +
      `Connection: close\r\n\r\n${text}`,
    false,
  );
}

const TRICKS = [
  "/api/auth/./sign-in/email",
  "/api/auth/x/../sign-in/email",
  "/api/auth/sign-in/email#",
  "/api/auth//sign-in/email",
  "/api/auth/sign-in/email/",
  "/api/auth/sign-in%2Femail",
  "/api/auth/sign-in/%2e/email",
  "/api/auth/sign-in\\email",
];

describe.each(dialects())("sign-in throttle on %s", (dialect) => {
  const s = useServer(dialect, { env: { STEWARD_TRUST_PROXY: "127.0.0.1" } });
  const signInFrom = (from: string, email: string, password: string) =>
    s.request("POST", "/api/auth/sign-in/email", {
      body: { email, password },
      headers: { origin: ORIGIN, "x-forwarded-for": from },
    });

  it("refuses non-canonical paths with 400 before better-auth sees them", async () => {
    const user = await s.createUser("path@example.com");
    const from = nextClient();
    for (const path of TRICKS) {
      const res = await rawPost(s, from, path, { email: user.email, password: PASSWORD });
      expect(res.status, path).toBe(400);
      expect((res.body as { error: { details: { field: string }[] } }).error.details).toEqual([
        expect.objectContaining({ field: "path" }),
      ]);
      expect(res.headers.get("set-cookie"), path).toBeNull();
    }
    for (const path of ["/api/v1/./me", "/api/v1/users/..", "/api/v1//me", "/api/v1/me%2f"]) {
      const res = await rawHttp(
        s.url,
        `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      expect(res.status, path).toBe(400);
    }
    // nothing was evaluated: no sign-in event at all
    expect(await auditRows(s, "auth.sign-in.email")).toEqual([]);
  });

  it("wrong passwords through every spelling still lock the user out", async () => {
    const user = await s.createUser("walk@example.com");
    const from = nextClient();
    for (let i = 0; i < 15; i++) {
      const path = i < THROTTLE.perIp ? "/api/auth/sign-in/email" : TRICKS[i % TRICKS.length];
      await rawPost(s, from, path ?? "", { email: user.email, password: `wrong-${i}` });
    }
    const right = await signInFrom(from, user.email, PASSWORD);
    expect(right.status).toBe(429);
    expect(right.headers.getSetCookie()).toEqual([]);
  });

  it("evaluates at most the limit of 20 concurrent wrong passwords from one address", async () => {
    const user = await s.createUser("race@example.com");
    const from = nextClient();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signInFrom(from, user.email, `wrong-${i}`)),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((st) => st === 401).length).toBeLessThanOrEqual(THROTTLE.perIp);
    expect(statuses.filter((st) => st !== 401).every((st) => st === 429)).toBe(true);
    const events = (await auditRows(s, "auth.sign-in.email")).filter(
      (e) => e.target_id === user.email,
    );
    expect(events).toHaveLength(20);
    expect(events.filter((e) => e.outcome === "failure")).toHaveLength(
      statuses.filter((st) => st === 401).length,
    );
    const right = await signInFrom(from, user.email, PASSWORD);
    expect(right.status).toBe(429);
  });

  it("evaluates at most the per-user limit of concurrent attempts from 20 addresses", async () => {
    const user = await s.createUser("spread@example.com");
    // 45 recent failures from elsewhere: 5 more may be evaluated, whoever sends them
    const now = Date.now();
    const left = 5;
    await s.svc.db.db
      .insertInto("audit_events")
      .values(
        Array.from({ length: THROTTLE.perEmail - left }, (_, i) => ({
          id: `ev_spread${String(i).padStart(4, "0")}`,
          at: now - 60_000 + i,
          actor_type: "anonymous" as const,
          ip: `192.0.2.${i}`,
          action: "auth.sign-in.email",
          target_type: "email",
          target_id: user.email,
          outcome: "failure" as const,
        })),
      )
      .execute();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signInFrom(nextClient(), user.email, `wrong-${i}`)),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((st) => st === 401).length).toBeLessThanOrEqual(left);
    expect(statuses.filter((st) => st !== 401).every((st) => st === 429)).toBe(true);
    const events = (await auditRows(s, "auth.sign-in.email")).filter(
      (e) => e.target_id === user.email && e.ip?.startsWith("203.0.113."),
    );
    expect(new Set(events.map((e) => e.ip)).size).toBe(20);
  });

  it.runIf(dialect === "postgres")(
    "holds across two panels (own connection pools) on one PostgreSQL database",
    async () => {
      const other = await startTestServer(dialect, {
        STEWARD_TRUST_PROXY: "127.0.0.1",
        STEWARD_DATABASE_URL: s.svc.settings.databaseUrl ?? "",
        // the same database needs the same master key
        STEWARD_MASTER_KEY: masterKeyOf(s),
      });
      try {
        const user = await s.createUser("two-panels@example.com");
        const from = nextClient();
        const answers = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 ? other : s).request("POST", "/api/auth/sign-in/email", {
              body: { email: user.email, password: `wrong-${i}` },
              headers: { origin: ORIGIN, "x-forwarded-for": from },
            }),
          ),
        );
        const statuses = answers.map((a) => a.status);
        expect(statuses.filter((st) => st === 401).length).toBeLessThanOrEqual(THROTTLE.perIp);
        expect(statuses.filter((st) => st !== 401).every((st) => st === 429)).toBe(true);
      } finally {
        await other.close();
      }
    },
  );

  it("does not serve better-auth's API key endpoints by any path", async () => {
    const user = await s.createUser("keys@example.com");
    const cookie = await s.signIn(user.email);
    const key = await s.apiKey(user.id, ["read"]);
    const [row] = await s.svc.db.db.selectFrom("auth_apikey").select("id").execute();
    const from = nextClient();
    for (const path of [
      "/api/auth/api-key/create",
      "/api/auth/api-key/update",
      "/api/auth/./api-key/update",
      "/api/auth/x/../api-key/create",
      "/api/auth/api-key/create#",
      "/api/auth/API-KEY/create",
    ]) {
      const res = await rawPost(
        s,
        from,
        path,
        { keyId: row?.id, name: "side", metadata: { scopes: ["*"] } },
        `Cookie: ${cookie}\r\n`,
      );
      expect([400, 404], path).toContain(res.status);
    }
    const keys = await s.svc.db.db.selectFrom("auth_apikey").select(["id", "metadata"]).execute();
    expect(keys).toHaveLength(1);
    expect(JSON.stringify(keys[0]?.metadata)).toContain("read");
    expect(JSON.stringify(keys[0]?.metadata)).not.toContain("*");
    expect((await s.request("GET", "/api/v1/users", { key })).status).toBe(403);
  });
});
