// First run: creates the first super user with the one-time token `steward serve` printed
// (the link it prints fills the token in), then signs in with the same credentials.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { AuthCard } from "../components/auth-card.tsx";
import { EmailField } from "../components/auth-fields.tsx";
import { NewPasswordFields, useNewPassword } from "../components/new-password-fields.tsx";
import { TextField } from "../components/text-field.tsx";
import { Alert, ErrorAlert } from "../components/ui/alert.tsx";
import { Button, Spinner } from "../components/ui/button.tsx";
import { api, unwrap } from "../lib/api.ts";
import { signIn } from "../lib/auth.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { meQuery } from "../lib/session.ts";

const route = getRouteApi("/setup");

const FIELDS = ["token", "email", "name", "password", "repeat"];

export function SetupPage() {
  const status = useQuery({
    queryKey: ["setup"],
    queryFn: async () => unwrap(await api.GET("/api/v1/setup")),
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (status.isPending) {
    return (
      <AuthCard title="Set up Steward">
        <p className="flex items-center gap-2 text-sm text-fg-muted" role="status">
          <Spinner /> Checking whether setup is needed…
        </p>
      </AuthCard>
    );
  }
  if (status.isError) {
    return (
      <AuthCard title="Set up Steward">
        <div className="grid gap-4">
          <ErrorAlert error={status.error} />
          <Button variant="secondary" onClick={() => void status.refetch()}>
            Try again
          </Button>
        </div>
      </AuthCard>
    );
  }
  if (!status.data.required) {
    return (
      <AuthCard title="Setup is already done">
        <div className="grid gap-4 text-sm">
          <p>Steward already has its first user. Sign in with your account.</p>
          <Link to="/sign-in" className="font-medium text-primary underline">
            Go to sign-in
          </Link>
        </div>
      </AuthCard>
    );
  }
  return <SetupForm />;
}

function SetupForm() {
  const search = route.useSearch();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [token, setToken] = useState(search.token ?? "");
  const [editToken, setEditToken] = useState(!search.token);
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const newPassword = useNewPassword();
  const { password } = newPassword;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!newPassword.matches()) return;
    setBusy(true);
    try {
      unwrap(
        await api.POST("/api/v1/setup", {
          body: { token: token.trim(), email, password, name: name.trim() || undefined },
        }),
      );
    } catch (err) {
      setError(err);
      if (fieldError(err, "token")) setEditToken(true);
      setBusy(false);
      return;
    }
    try {
      await signIn(email, password);
      await queryClient.invalidateQueries({ queryKey: ["me"] });
      await queryClient.fetchQuery(meQuery);
      queryClient.setQueryData(["setup"], { required: false });
      await navigate({ to: "/" });
    } catch {
      // the user exists; signing in by hand is all that is left
      queryClient.setQueryData(["setup"], { required: false });
      await navigate({ to: "/sign-in" });
    }
  };

  return (
    <AuthCard title="Set up Steward">
      <form className="grid gap-4" onSubmit={submit} noValidate>
        <p className="text-sm text-fg-muted">
          Create the first user. It is a super user: it may do everything, including creating the
          other users.
        </p>
        {editToken ? (
          <TextField
            label="Setup token"
            hint="The one-time token steward serve printed when it started."
            error={fieldError(error, "token")}
            value={token}
            onValue={setToken}
            maxLength={200}
            code
          />
        ) : (
          <div className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-border bg-muted px-3 py-2 text-sm">
            <span>Setup token from the link</span>
            <button
              type="button"
              className="text-primary underline"
              onClick={() => setEditToken(true)}
            >
              Edit token
            </button>
          </div>
        )}
        <EmailField
          error={fieldError(error, "email")}
          value={email}
          onValue={setEmail}
          maxLength={254}
        />
        <TextField
          label="Name"
          hint="Optional."
          error={fieldError(error, "name")}
          value={name}
          onValue={setName}
          autoComplete="name"
          maxLength={100}
        />
        <NewPasswordFields
          state={newPassword}
          label="Password"
          repeatLabel="Repeat password"
          mismatchText="does not match the password"
          error={fieldError(error, "password")}
        />
        <ErrorAlert error={unshownError(error, editToken ? FIELDS : FIELDS.slice(1))} />
        <Button type="submit" busy={busy}>
          Create user and sign in
        </Button>
        <Alert>
          Lost the token? Restart <code className="font-mono">steward serve</code>: it prints a new
          one while no user exists.
        </Alert>
      </form>
    </AuthCard>
  );
}
