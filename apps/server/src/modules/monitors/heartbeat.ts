// Heartbeat tokens: 32 random bytes (base64url) said once at creation, stored as their
// SHA-256, so the database never holds a token that could report in.
import { createHash, randomBytes } from "node:crypto";

export const newHeartbeatToken = () => randomBytes(32).toString("base64url");
export const heartbeatHash = (token: string) =>
  createHash("sha256").update(token).digest("base64url");
