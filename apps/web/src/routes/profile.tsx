// My profile: name, password, two-factor authentication, passkeys, GitHub (and its
// installation settings for super users) and one's own API keys.
import { type FormEvent, useState } from "react";
import { NewPasswordFields, useNewPassword } from "../components/new-password-fields.tsx";
import { PageHeader } from "../components/page.tsx";
import { Alert, ErrorAlert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { Field } from "../components/ui/field.tsx";
import { Input } from "../components/ui/input.tsx";
import { changePassword, updateName } from "../lib/auth.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { formatDateTime } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { useMe } from "../lib/session.ts";
import { ApiKeysCard } from "./profile-api-keys.tsx";
import { GithubCards } from "./profile-github.tsx";
import { PasskeysCard } from "./profile-passkeys.tsx";
import { TwoFactorCard } from "./profile-two-factor.tsx";

export function ProfilePage() {
  return (
    <>
      <PageHeader
        title="My profile"
        description="Your name, how you sign in, and the API keys that act as you."
      />
      <div className="grid max-w-4xl gap-6">
        <ProfileCard />
        <PasswordCard />
        <TwoFactorCard />
        <PasskeysCard />
        <GithubCards />
        <ApiKeysCard />
      </div>
    </>
  );
}

function ProfileCard() {
  const me = useMe();
  const [name, setName] = useState(me.name);
  const [saved, setSaved] = useState(false);
  const save = useApiMutation((n: string) => updateName(n), {
    invalidate: [["me"]],
    onSuccess: () => setSaved(true),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    save.mutate(name.trim());
  };
  return (
    <Card title="Profile">
      <div className="grid gap-5">
        <dl className="grid gap-3 text-sm sm:grid-cols-[8rem_1fr]">
          <dt className="text-fg-muted">Name</dt>
          <dd className="min-w-0 font-medium break-all whitespace-pre-wrap">
            {me.name || <span className="text-fg-muted">—</span>}
          </dd>
          <dt className="text-fg-muted">Email</dt>
          <dd className="min-w-0 break-all">{me.email}</dd>
          <dt className="text-fg-muted">Role</dt>
          <dd className="flex flex-wrap gap-1">
            {me.super ? (
              <Badge tone="info">super user</Badge>
            ) : (
              <Badge>user: rights come from grants</Badge>
            )}
          </dd>
          <dt className="text-fg-muted">Member since</dt>
          <dd>{formatDateTime(me.createdAt)}</dd>
        </dl>
        <form className="grid gap-3 sm:max-w-md" onSubmit={submit} noValidate>
          <Field label="Name" error={fieldError(save.error, "name")}>
            <Input
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                setSaved(false);
              }}
              autoComplete="name"
              maxLength={100}
            />
          </Field>
          <ErrorAlert error={unshownError(save.error, ["name"])} />
          {saved ? <Alert tone="ok">Name saved.</Alert> : null}
          <div>
            <Button type="submit" busy={save.isPending} disabled={name.trim() === me.name}>
              Save name
            </Button>
          </div>
        </form>
      </div>
    </Card>
  );
}

function PasswordCard() {
  const [current, setCurrent] = useState("");
  const next = useNewPassword();
  const [saved, setSaved] = useState(false);
  const change = useApiMutation(() => changePassword(current, next.password), {
    onSuccess: () => {
      setSaved(true);
      setCurrent("");
      next.clear();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    if (next.matches()) change.mutate(undefined);
  };
  return (
    <Card title="Password">
      <form className="grid gap-4 sm:max-w-md" onSubmit={submit} noValidate>
        <Field label="Current password" error={fieldError(change.error, "currentPassword")}>
          <Input
            type="password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            autoComplete="current-password"
            maxLength={128}
          />
        </Field>
        <NewPasswordFields
          state={next}
          label="New password"
          repeatLabel="Repeat new password"
          mismatchText="does not match the new password"
          error={fieldError(change.error, "newPassword")}
        />
        <ErrorAlert error={unshownError(change.error, ["currentPassword", "newPassword"])} />
        {saved ? (
          <Alert tone="ok">Password changed. Your other sessions have been signed out.</Alert>
        ) : null}
        <div>
          <Button type="submit" busy={change.isPending}>
            Change password
          </Button>
        </div>
      </form>
    </Card>
  );
}
