// Per-IP limits on /api/auth/*: credential checks (POST) have a tight budget, reads (GET)
// their own looser one, so a person using the console does not use up sign-in attempts.
import { describe, expect, it } from "vitest";
import { ORIGIN } from "../../testing/auth.ts";
import { useServer } from "../../testing/use-server.ts";

describe("auth rate limit", () => {
  const s = useServer("sqlite");

  it("limits POSTs per IP to 20 a minute, and GETs separately", async () => {
    for (let i = 0; i < 30; i++) {
      const get = await s.request("GET", "/api/auth/get-session", { headers: { origin: ORIGIN } });
      expect(get.status, `GET ${i}`).toBe(200);
    }
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const post = await s.request("POST", "/api/auth/sign-in/email", {
        body: { email: `nobody${i}@example.com`, password: "wrong password here" },
        headers: { origin: ORIGIN },
      });
      statuses.push(post.status);
    }
    expect(statuses.slice(0, 20).every((st) => st === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    const get = await s.request("GET", "/api/auth/get-session", { headers: { origin: ORIGIN } });
    expect(get.status).toBe(200);
  });
});
