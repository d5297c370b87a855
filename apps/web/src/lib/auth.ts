// Sign-in, second factors and passkeys: better-auth's endpoints under /api/auth (outside the
// OpenAPI document), called with the same error handling as the rest of the API. The
// WebAuthn ceremony itself is @simplewebauthn/browser's.
import { call } from "./api.ts";

export interface SignInResult {
  /** true when the user has TOTP enabled: the second step is needed */
  twoFactorRedirect?: boolean;
}

export function signIn(email: string, password: string): Promise<SignInResult> {
  return call("POST", "/api/auth/sign-in/email", { email, password, rememberMe: true });
}

export function verifyTotp(code: string, trustDevice = false): Promise<unknown> {
  return call("POST", "/api/auth/two-factor/verify-totp", { code, trustDevice });
}

export function verifyRecoveryCode(code: string): Promise<unknown> {
  return call("POST", "/api/auth/two-factor/verify-backup-code", { code });
}

export function signOut(): Promise<unknown> {
  return call("POST", "/api/auth/sign-out", {});
}

export function changePassword(currentPassword: string, newPassword: string): Promise<unknown> {
  return call("POST", "/api/auth/change-password", {
    currentPassword,
    newPassword,
    revokeOtherSessions: true,
  });
}

/** Starts TOTP enrolment: the otpauth:// URI for the QR code and the recovery codes. */
export function enableTotp(password: string): Promise<{ totpURI: string; backupCodes: string[] }> {
  return call("POST", "/api/auth/two-factor/enable", { password });
}

/** Finishes TOTP enrolment with a first code from the authenticator app. */
export function confirmTotp(code: string): Promise<unknown> {
  return call("POST", "/api/auth/two-factor/verify-totp", { code });
}

export function disableTotp(password: string): Promise<unknown> {
  return call("POST", "/api/auth/two-factor/disable", { password });
}

export function newRecoveryCodes(password: string): Promise<{ backupCodes: string[] }> {
  return call("POST", "/api/auth/two-factor/generate-backup-codes", { password });
}

export interface Passkey {
  id: string;
  name?: string | null;
  createdAt: string;
  deviceType?: string;
}

export function listPasskeys(): Promise<Passkey[]> {
  return call("GET", "/api/auth/passkey/list-user-passkeys");
}

export function deletePasskey(id: string): Promise<unknown> {
  return call("POST", "/api/auth/passkey/delete-passkey", { id });
}

export async function registerPasskey(name: string): Promise<unknown> {
  const { startRegistration } = await import("@simplewebauthn/browser");
  // biome-ignore lint/suspicious/noExplicitAny: WebAuthn options as the server made them
  const optionsJSON = await call<any>(
    "GET",
    "/api/auth/passkey/generate-register-options",
    undefined,
    {
      name,
    },
  );
  const { clientExtensionResults: _ignored, ...response } = await startRegistration({
    optionsJSON,
  });
  return call("POST", "/api/auth/passkey/verify-registration", { response, name });
}

export async function signInWithPasskey(): Promise<unknown> {
  const { startAuthentication } = await import("@simplewebauthn/browser");
  // biome-ignore lint/suspicious/noExplicitAny: WebAuthn options as the server made them
  const optionsJSON = await call<any>("GET", "/api/auth/passkey/generate-authenticate-options");
  const { clientExtensionResults: _ignored, ...response } = await startAuthentication({
    optionsJSON,
  });
  return call("POST", "/api/auth/passkey/verify-authentication", { response });
}
