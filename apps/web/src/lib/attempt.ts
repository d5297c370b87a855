// Forms that call the API by hand (sign-in, second factors): busy while it runs, its error after.
import { type FormEvent, useState } from "react";

export function useAttempt() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  /** A submit handler (or plain action) that runs `fn`, keeping busy and error up to date. */
  const attempt = (fn: () => Promise<void>) => async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, attempt };
}
