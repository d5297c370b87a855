import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { useServer } from "./testing/use-server.ts";

describe.each(dialects())("smoke on %s", (dialect) => {
  const s = useServer(dialect);

  it("serves health, lists users with an API key, refuses anonymous", async () => {
    expect((await s.request("GET", "/healthz")).body).toEqual({ status: "ok" });
    const admin = await s.createUser("admin@example.com", { super: true });
    const key = await s.apiKey(admin.id);
    const list = await s.request("GET", "/api/v1/users", { key });
    expect(list.status).toBe(200);
    expect(list.body.items.map((u: { email: string }) => u.email)).toEqual(["admin@example.com"]);
    expect((await s.request("GET", "/api/v1/users")).status).toBe(401);
  });

  it("signs in with a password and uses the session cookie", async () => {
    await s.createUser("carol@example.com");
    const cookie = await s.signIn("carol@example.com");
    const me = await s.request("GET", "/api/v1/me", { cookie });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe("carol@example.com");
  });
});
