// Sign in with email and password, then the TOTP step when the user has it; or a passkey; or
// with GitHub when an administrator turned it on (a linked account only: a refusal comes back
// here as `?error=`, said in words).
import { useQueryClient } from "@tanstack/react-query";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { KeyRound } from "lucide-react";
import { useEffect, useState } from "react";
import { AuthCard } from "../components/auth-card.tsx";
import { CurrentPasswordField, EmailField } from "../components/auth-fields.tsx";
import { GithubMark } from "../components/github-mark.tsx";
import { TextField } from "../components/text-field.tsx";
import { Alert, ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Checkbox } from "../components/ui/field.tsx";
import { api } from "../lib/api.ts";
import { useAttempt } from "../lib/attempt.ts";
import {
  githubRedirect,
  githubRefusal,
  signIn,
  signInWithPasskey,
  verifyRecoveryCode,
  verifyTotp,
} from "../lib/auth.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { meQuery, safeRedirect } from "../lib/session.ts";

const route = getRouteApi("/sign-in");

export function SignInPage() {
  const { redirect, error: refused } = route.useSearch();
  const [github, setGithub] = useState(false);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [step, setStep] = useState<"password" | "totp" | "recovery">("password");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [trust, setTrust] = useState(false);
  const { busy, error, setError, attempt } = useAttempt();

  // A fresh installation has no user yet: first-run setup comes first.
  useEffect(() => {
    api.GET("/api/v1/setup").then(
      (r) => r.data?.required && void navigate({ to: "/setup" }),
      () => undefined,
    );
    api.GET("/api/v1/sign-in/methods").then(
      (r) => setGithub(r.data?.github ?? false),
      () => undefined,
    );
  }, [navigate]);

  const done = async () => {
    await queryClient.invalidateQueries({ queryKey: ["me"] });
    await queryClient.fetchQuery(meQuery);
    await navigate({ href: safeRedirect(redirect) });
  };

  const submitPassword = attempt(async () => {
    const r = await signIn(email, password);
    if (r.twoFactorRedirect) {
      setStep("totp");
      return;
    }
    await done();
  });
  const submitCode = attempt(async () => {
    await (step === "totp"
      ? verifyTotp(code.replace(/\s/g, ""), trust)
      : verifyRecoveryCode(code.trim()));
    await done();
  });
  const withGithub = attempt(async () => {
    window.location.assign(await githubRedirect("/sign-in/social", safeRedirect(redirect)));
  });
  const passkey = attempt(async () => {
    await signInWithPasskey();
    await done();
  });

  if (step !== "password") {
    const totp = step === "totp";
    return (
      <AuthCard title="Two-factor authentication">
        <form className="grid gap-4" onSubmit={submitCode} noValidate>
          <p className="text-sm text-fg-muted">
            {totp
              ? "Enter the 6-digit code from your authenticator app."
              : "Enter one of the recovery codes you saved when you turned on two-factor authentication."}
          </p>
          <TextField
            label={totp ? "Authentication code" : "Recovery code"}
            error={fieldError(error, "code")}
            value={code}
            onValue={setCode}
            autoComplete="one-time-code"
            inputMode={totp ? "numeric" : "text"}
            autoFocus
            maxLength={64}
          />
          {totp ? (
            <Checkbox label="Trust this browser for 30 days" checked={trust} onChange={setTrust} />
          ) : null}
          <ErrorAlert error={unshownError(error, ["code"])} />
          <Button type="submit" busy={busy}>
            Verify
          </Button>
          <button
            type="button"
            className="text-left text-sm text-primary underline"
            onClick={() => {
              setCode("");
              setError(null);
              setStep(totp ? "recovery" : "totp");
            }}
          >
            {totp ? "Use a recovery code instead" : "Use an authentication code instead"}
          </button>
        </form>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Sign in">
      <form className="grid gap-4" onSubmit={submitPassword} noValidate>
        <EmailField
          error={fieldError(error, "email")}
          value={email}
          onValue={setEmail}
          autoComplete="username webauthn"
          required
        />
        <CurrentPasswordField
          error={fieldError(error, "password")}
          value={password}
          onValue={setPassword}
          required
        />
        {refused && !error ? <Alert tone="error">{githubRefusal(refused)}</Alert> : null}
        <ErrorAlert error={error} />
        <Button type="submit" busy={busy}>
          Sign in
        </Button>
        <div className="flex items-center gap-3 text-xs text-fg-muted">
          <span className="h-px flex-1 bg-border" /> or <span className="h-px flex-1 bg-border" />
        </div>
        <Button variant="secondary" onClick={() => void passkey()} disabled={busy}>
          <KeyRound className="h-4 w-4" aria-hidden="true" />
          Sign in with a passkey
        </Button>
        {github ? (
          <Button variant="secondary" onClick={() => void withGithub()} disabled={busy}>
            <GithubMark />
            Sign in with GitHub
          </Button>
        ) : null}
      </form>
    </AuthCard>
  );
}
