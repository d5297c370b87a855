// The fields one signs in with, as setup, sign-in and the password prompts ask for them: the
// email (which browsers offer as the user name) and the current password.
import type { ComponentProps } from "react";
import { TextField } from "./text-field.tsx";

type FieldProps = Omit<ComponentProps<typeof TextField>, "label" | "type">;

/** "Email", focused first; browsers offer the saved user names. */
export function EmailField({ autoComplete = "username", ...rest }: FieldProps) {
  return <TextField label="Email" type="email" autoComplete={autoComplete} autoFocus {...rest} />;
}

/** The password one has now, which browsers may fill in. */
export function CurrentPasswordField({
  label = "Password",
  ...rest
}: FieldProps & { label?: string }) {
  return <TextField label={label} type="password" autoComplete="current-password" {...rest} />;
}
