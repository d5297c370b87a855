// What the named policies share: the targets every policy names.
import type { Target } from "../types.ts";

export const SYSTEM: Target = { kind: "system" };
export const GLOBAL: Target = { kind: "global" };
export const account = (accountId: string): Target => ({ kind: "account", accountId });
