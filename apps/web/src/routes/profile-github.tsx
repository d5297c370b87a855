// Sign in with GitHub on the profile page: one's own GitHub link (link while signed in, then
// sign in with it; unlink), and for super users the installation's OAuth App (client id, a
// secret that is never shown again, the callback URL to register on GitHub; off by default).
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ApiForm } from "../components/api-form.tsx";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import { GithubMark } from "../components/github-mark.tsx";
import { TextField } from "../components/text-field.tsx";
import { Alert, ErrorAlert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { Checkbox } from "../components/ui/field.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useAttempt } from "../lib/attempt.ts";
import { githubRedirect, githubRefusal, listLinkedAccounts, unlinkGithub } from "../lib/auth.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { useMe } from "../lib/session.ts";

const methodsKey = ["sign-in-methods"];
const accountsKey = ["linked-accounts"];
const settingsKey = ["github-sign-in"];

export function GithubCards() {
  const me = useMe();
  const methods = useQuery({
    queryKey: methodsKey,
    queryFn: async () => unwrap(await api.GET("/api/v1/sign-in/methods")),
  });
  return (
    <>
      {methods.data?.github ? <GithubLinkCard /> : null}
      {me.super ? <GithubSignInSettings /> : null}
    </>
  );
}

function GithubLinkCard() {
  const accounts = useQuery({ queryKey: accountsKey, queryFn: listLinkedAccounts });
  const linked = accounts.data?.find((a) => a.providerId === "github");
  const { busy, error, attempt } = useAttempt();
  const link = attempt(async () => {
    window.location.assign(await githubRedirect("/link-social", "/profile"));
  });
  const unlink = useApiMutation(unlinkGithub, { invalidate: [accountsKey] });
  const refused = new URLSearchParams(window.location.search).get("error") ?? undefined;
  return (
    <Card title="GitHub">
      <div className="grid gap-4">
        <p className="text-sm text-fg-muted">
          Link your GitHub account to sign in with GitHub. Only a linked account can sign in; with
          two-factor authentication on, sign in with your password and code instead.
        </p>
        {refused ? <Alert tone="error">{githubRefusal(refused)}</Alert> : null}
        <ErrorAlert error={error} />
        {linked ? (
          <div className="flex flex-wrap items-center gap-3">
            <Badge tone="ok">linked</Badge>
            <span className="text-sm">GitHub account #{linked.accountId}</span>
            <ActionsWithError error={unlink.error}>
              <ConfirmButton
                size="sm"
                variant="danger"
                mutation={unlink}
                confirm={{
                  title: "Unlink your GitHub account?",
                  description: "You will sign in with your password (or a passkey) only.",
                  confirmLabel: "Unlink",
                }}
              >
                Unlink
              </ConfirmButton>
            </ActionsWithError>
          </div>
        ) : (
          <div>
            <Button variant="secondary" onClick={() => void link()} busy={busy}>
              <GithubMark />
              Link GitHub account
            </Button>
          </div>
        )}
      </div>
    </Card>
  );
}

function GithubSignInSettings() {
  const current = useQuery({
    queryKey: settingsKey,
    queryFn: async () => unwrap(await api.GET("/api/v1/github/sign-in")),
  });
  const [enabled, setEnabled] = useState(false);
  const [clientId, setClientId] = useState("");
  const [secret, setSecret] = useState("");
  const reset = () => {
    setEnabled(current.data?.enabled ?? false);
    setClientId(current.data?.clientId ?? "");
    setSecret("");
  };
  useEffect(reset, [current.data]);
  const save = useApiMutation(
    async () =>
      unwrap(
        await api.PUT("/api/v1/github/sign-in", {
          body: { enabled, clientId, ...(secret ? { clientSecret: secret } : {}) },
        }),
      ),
    { invalidate: [settingsKey, methodsKey], onSuccess: () => setSecret("") },
  );
  const data = current.data;
  return (
    <Card title="Sign in with GitHub (installation)">
      <ApiForm
        mutation={save}
        shown={["clientId", "clientSecret"]}
        submitLabel={save.isSuccess ? "Saved" : "Save"}
        onCancel={reset}
      >
        <p className="text-sm text-fg-muted">
          Register an OAuth App on GitHub (Settings → Developer settings → OAuth Apps) with this
          authorization callback URL, then enter its client id and secret. Users then link their
          GitHub account on their profile; nobody signs up through GitHub.
        </p>
        {data ? (
          <p className="text-sm">
            Callback URL: <code className="font-mono break-all">{data.callbackUrl}</code>
          </p>
        ) : null}
        <Checkbox label="Allow sign in with GitHub" checked={enabled} onChange={setEnabled} />
        <TextField
          label="Client id"
          field="clientId"
          code
          value={clientId}
          onValue={setClientId}
          maxLength={100}
        />
        <TextField
          label="Client secret"
          field="clientSecret"
          type="password"
          code
          value={secret}
          onValue={setSecret}
          maxLength={100}
          hint={
            data?.secretSet
              ? "A secret is stored (never shown). Leave empty to keep it."
              : "Required the first time."
          }
        />
      </ApiForm>
    </Card>
  );
}
