// A new password and its repetition; the form is sent only when the two match.
import { useState } from "react";
import { TextField } from "./text-field.tsx";

export interface NewPassword {
  password: string;
  setPassword: (v: string) => void;
  repeat: string;
  setRepeat: (v: string) => void;
  mismatch: boolean;
  /** Whether the two match; when they do not, the repeat field says so. */
  matches: () => boolean;
  clear: () => void;
}

export function useNewPassword(): NewPassword {
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [mismatch, setMismatch] = useState(false);
  return {
    password,
    setPassword,
    repeat,
    setRepeat,
    mismatch,
    matches: () => {
      setMismatch(password !== repeat);
      return password === repeat;
    },
    clear: () => {
      setPassword("");
      setRepeat("");
    },
  };
}

export function NewPasswordFields({
  state,
  label,
  repeatLabel,
  mismatchText,
  error,
}: {
  state: NewPassword;
  label: string;
  repeatLabel: string;
  /** shown at the repeat field when the two differ */
  mismatchText: string;
  /** the API's error for the password */
  error?: string;
}) {
  const fields = [
    {
      label,
      hint: "At least 10 characters.",
      error,
      value: state.password,
      onValue: state.setPassword,
    },
    {
      label: repeatLabel,
      error: state.mismatch ? mismatchText : undefined,
      value: state.repeat,
      onValue: state.setRepeat,
    },
  ];
  return fields.map((field) => (
    <TextField
      key={field.label}
      {...field}
      type="password"
      autoComplete="new-password"
      maxLength={128}
    />
  ));
}
