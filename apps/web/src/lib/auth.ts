// Sign-in, second factors, passkeys and one's own profile: better-auth's endpoints under
// /api/auth (outside the OpenAPI document). Their errors become ApiErrors like the rest of
// the API's: better-auth's code (INVALID_PASSWORD, SESSION_NOT_FRESH...) is the error's
// code, the field it is about is named, so forms show it at the field, and the message is
// a sentence for people. The WebAuthn ceremony itself is @simplewebauthn/browser's.
import { ApiError } from "./errors.ts";

/** Friendlier words for better-auth's messages. */
const MESSAGES: Record<string, string> = {
  INVALID_PASSWORD: "The password is wrong.",
  INVALID_EMAIL_OR_PASSWORD: "The email or the password is wrong.",
  PASSWORD_TOO_SHORT: "The new password must be at least 10 characters.",
  PASSWORD_TOO_LONG: "The new password must be at most 128 characters.",
  INVALID_CODE: "The code is wrong or has expired. Enter the code your app shows now.",
  INVALID_BACKUP_CODE: "This recovery code is wrong or was used already.",
  INVALID_TWO_FACTOR_COOKIE: "The sign-in took too long. Start again with your password.",
  SESSION_NOT_FRESH:
    "For your security this needs a recent sign-in. Sign out, sign in again, then retry.",
};

/** Error codes that are about one field of the form, per call: code -> field name. */
type FieldsOf = Record<string, string>;

interface BetterAuthError {
  code?: unknown;
  message?: unknown;
  error?: { code?: string; message?: string; requestId?: string };
}

async function authCall<T>(
  method: "GET" | "POST",
  path: string,
  {
    body,
    query,
    fields = {},
  }: { body?: unknown; query?: Record<string, string>; fields?: FieldsOf },
): Promise<T> {
  const url = `/api/auth${path}${query ? `?${new URLSearchParams(query)}` : ""}`;
  const res = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) throw authError(res.status, (parsed ?? {}) as BetterAuthError, fields);
  return parsed as T;
}

function authError(status: number, body: BetterAuthError, fields: FieldsOf): ApiError {
  const code = typeof body.code === "string" ? body.code : (body.error?.code ?? "");
  const raw = body.error?.message ?? (typeof body.message === "string" ? body.message : "");
  const message = MESSAGES[code] ?? (raw || `The server answered ${status}.`);
  const details: { field: string; message: string }[] = [];
  const field = fields[code];
  if (field) details.push({ field, message });
  else {
    // Steward's own checks on better-auth's input say "field: message"
    const m = /^([a-zA-Z]+): (.+)$/.exec(raw);
    if (m?.[1] && m[2]) details.push({ field: m[1], message: m[2] });
  }
  return new ApiError(status, {
    error: {
      code: code || (status >= 500 ? "INTERNAL" : "HTTP_ERROR"),
      message,
      requestId: body.error?.requestId,
      details,
    },
  });
}

/** True when better-auth refused because the session is older than it accepts here. */
export function isSessionNotFresh(error: unknown): boolean {
  return error instanceof ApiError && error.code === "SESSION_NOT_FRESH";
}

export interface SignInResult {
  /** true when the user has TOTP enabled: the second step is needed */
  twoFactorRedirect?: boolean;
}

export function signIn(email: string, password: string): Promise<SignInResult> {
  return authCall("POST", "/sign-in/email", { body: { email, password, rememberMe: true } });
}

export function verifyTotp(code: string, trustDevice = false): Promise<unknown> {
  return authCall("POST", "/two-factor/verify-totp", {
    body: { code, trustDevice },
    fields: { INVALID_CODE: "code" },
  });
}

export function verifyRecoveryCode(code: string): Promise<unknown> {
  return authCall("POST", "/two-factor/verify-backup-code", {
    body: { code },
    fields: { INVALID_BACKUP_CODE: "code" },
  });
}

export function signOut(): Promise<unknown> {
  return authCall("POST", "/sign-out", { body: {} });
}

/** Changes one's name (better-auth's update-user; Steward validates it). */
export function updateName(name: string): Promise<unknown> {
  return authCall("POST", "/update-user", { body: { name } });
}

/** Field errors: "currentPassword", "newPassword". Other sessions end. */
export function changePassword(currentPassword: string, newPassword: string): Promise<unknown> {
  return authCall("POST", "/change-password", {
    body: { currentPassword, newPassword, revokeOtherSessions: true },
    fields: {
      INVALID_PASSWORD: "currentPassword",
      PASSWORD_TOO_SHORT: "newPassword",
      PASSWORD_TOO_LONG: "newPassword",
    },
  });
}

const passwordField = { fields: { INVALID_PASSWORD: "password" } };

/** Starts TOTP enrolment: the otpauth:// URI for the QR code and the recovery codes. */
export function enableTotp(password: string): Promise<{ totpURI: string; backupCodes: string[] }> {
  return authCall("POST", "/two-factor/enable", { body: { password }, ...passwordField });
}

/** Finishes TOTP enrolment with a first code from the authenticator app. */
export function confirmTotp(code: string): Promise<unknown> {
  return authCall("POST", "/two-factor/verify-totp", {
    body: { code },
    fields: { INVALID_CODE: "code" },
  });
}

export function disableTotp(password: string): Promise<unknown> {
  return authCall("POST", "/two-factor/disable", { body: { password }, ...passwordField });
}

/** New recovery codes; the old ones stop working. */
export function newRecoveryCodes(password: string): Promise<{ backupCodes: string[] }> {
  return authCall("POST", "/two-factor/generate-backup-codes", {
    body: { password },
    ...passwordField,
  });
}

export interface Passkey {
  id: string;
  name?: string | null;
  createdAt: string;
  deviceType?: string;
  backedUp?: boolean;
}

export function listPasskeys(): Promise<Passkey[]> {
  return authCall("GET", "/passkey/list-user-passkeys", {});
}

export function deletePasskey(id: string): Promise<unknown> {
  return authCall("POST", "/passkey/delete-passkey", { body: { id } });
}

/**
 * Creates a passkey on this device and stores it under `name`. The authenticator lists it
 * under the user's email (better-auth's default user name). Needs a fresh session.
 */
export async function registerPasskey(name: string): Promise<unknown> {
  const { startRegistration } = await import("@simplewebauthn/browser");
  // biome-ignore lint/suspicious/noExplicitAny: WebAuthn options as the server made them
  const optionsJSON = await authCall<any>("GET", "/passkey/generate-register-options", {});
  const { clientExtensionResults: _ignored, ...response } = await startRegistration({
    optionsJSON,
  });
  return authCall("POST", "/passkey/verify-registration", {
    body: { response, name: name || undefined },
  });
}

export async function signInWithPasskey(): Promise<unknown> {
  const { startAuthentication } = await import("@simplewebauthn/browser");
  // biome-ignore lint/suspicious/noExplicitAny: WebAuthn options as the server made them
  const optionsJSON = await authCall<any>("GET", "/passkey/generate-authenticate-options", {});
  const { clientExtensionResults: _ignored, ...response } = await startAuthentication({
    optionsJSON,
  });
  return authCall("POST", "/passkey/verify-authentication", { body: { response } });
}

/** Sign in with GitHub: better-auth's authorize URL on GitHub, where the browser goes next. */
export async function githubRedirect(
  path: "/sign-in/social" | "/link-social",
  callbackURL: string,
): Promise<string> {
  const r = await authCall<{ url: string }>("POST", path, {
    body: {
      provider: "github",
      callbackURL,
      errorCallbackURL: path === "/sign-in/social" ? "/sign-in" : "/profile",
    },
  });
  return r.url;
}

export interface LinkedAccount {
  providerId: string;
  accountId: string;
}

export function listLinkedAccounts(): Promise<LinkedAccount[]> {
  return authCall("GET", "/list-accounts", {});
}

export function unlinkGithub(): Promise<unknown> {
  return authCall("POST", "/unlink-account", { body: { providerId: "github" } });
}

/** What a refused GitHub sign-in's `?error=` means, in words; null for no error. */
export function githubRefusal(code: string | undefined): string | null {
  if (!code) return null;
  const words: Record<string, string> = {
    signup_disabled:
      "This GitHub account is not linked to a Steward user. Sign in with your password, then link GitHub on your profile.",
    account_not_linked:
      "This GitHub account is not linked to a Steward user. Sign in with your password, then link GitHub on your profile.",
    user_disabled: "This user is disabled. Ask an administrator.",
    two_factor_required:
      "You use two-factor authentication: sign in with your password and your code.",
    account_already_linked_to_different_user:
      "This GitHub account is linked to another Steward user already.",
  };
  if (code in words) return words[code] ?? null;
  if (code.includes("state"))
    return "The GitHub sign-in took too long or was started elsewhere. Start again.";
  return "GitHub sign-in did not succeed. Start again, or sign in with your password.";
}
