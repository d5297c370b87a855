import type { ApiKeyScope, Role } from "@steward/contracts";

/** Who is acting: a signed-in user, or an API key acting for its user with narrower scopes. */
export interface Actor {
  type: "user" | "api_key" | "system";
  userId: string;
  email: string;
  name: string;
  /** the API key's id when type is api_key */
  keyId: string | null;
  /** API key scopes; null for a session (no narrowing) */
  scopes: ApiKeyScope[] | null;
  groupIds: string[];
  isSuper: boolean;
  /** session id when signed in with a cookie */
  sessionId: string | null;
}

/** What an action is about. */
export type Target =
  | { kind: "system" }
  | { kind: "global" }
  | { kind: "account"; accountId: string }
  | { kind: "resource"; type: string; id: string; accountId: string };

export interface GrantRow {
  principal_type: "user" | "group";
  principal_id: string;
  scope_type: "global" | "account" | "resource";
  scope_id: string;
  role_rank: number;
}

export type { Role };

/** Who did it, from where: passed to every service call so it can authorize and audit. */
export interface Ctx {
  actor: Actor | null;
  grants: GrantRow[];
  ip: string | null;
  requestId: string | null;
  /** set once an audit event was written for this request */
  audited?: boolean;
}

/** The actor of admin CLI commands: the machine's administrator, a super user. */
export const systemActor = (name: string): Actor => ({
  type: "system",
  userId: "system",
  email: "",
  name,
  keyId: null,
  scopes: null,
  groupIds: [],
  isSuper: true,
  sessionId: null,
});
