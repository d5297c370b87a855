// Success toasts: `toast("Site deleted")` from anywhere (a mutation's onSuccess, after a
// navigation); the shell's <Toasts /> shows them in a polite live region for a few seconds.
import { useSyncExternalStore } from "react";

export interface Toast {
  id: number;
  message: string;
}

const SHOWN_MS = 5_000;
let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function publish(next: Toast[]) {
  toasts = next;
  for (const listener of listeners) listener();
}

export function dismissToast(id: number) {
  publish(toasts.filter((t) => t.id !== id));
}

export function toast(message: string) {
  const id = nextId++;
  publish([...toasts, { id, message }]);
  setTimeout(() => dismissToast(id), SHOWN_MS);
}

export function useToasts(): Toast[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => toasts,
  );
}
