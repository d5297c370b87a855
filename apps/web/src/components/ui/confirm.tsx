// The one confirmation dialog for destructive actions (never the browser's confirm()).
// `const confirm = useConfirm(); if (await confirm({...})) ...`
import { AlertDialog as A } from "radix-ui";
import { createContext, type ReactNode, useCallback, useContext, useRef, useState } from "react";
import { TypeToConfirm } from "../type-to-confirm.tsx";
import { Button } from "./button.tsx";

export interface ConfirmOptions {
  title: string;
  description?: ReactNode;
  /** the button's words, e.g. "Delete user" */
  confirmLabel: string;
  /** red button; default true, since confirmations are for destructive actions */
  destructive?: boolean;
  /** the person must type this text (a name) to confirm */
  typeToConfirm?: string;
}

type Confirm = (options: ConfirmOptions) => Promise<boolean>;
const ConfirmContext = createContext<Confirm | null>(null);

export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [options, setOptions] = useState<ConfirmOptions | null>(null);
  const [typed, setTyped] = useState("");
  const resolver = useRef<((ok: boolean) => void) | null>(null);

  const confirm = useCallback<Confirm>((o) => {
    setTyped("");
    setOptions(o);
    return new Promise<boolean>((resolve) => {
      resolver.current = resolve;
    });
  }, []);

  const close = (ok: boolean) => {
    resolver.current?.(ok);
    resolver.current = null;
    setOptions(null);
  };
  const blocked = options?.typeToConfirm !== undefined && typed !== options.typeToConfirm;

  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      <A.Root open={options !== null} onOpenChange={(open) => !open && close(false)}>
        <A.Portal>
          <A.Overlay className="fixed inset-0 z-40 bg-black/50" />
          <A.Content className="fixed top-1/2 left-1/2 z-50 w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg border border-border bg-surface p-5 shadow-xl">
            <A.Title className="text-lg font-semibold">{options?.title}</A.Title>
            <A.Description asChild>
              <div className="mt-2 text-sm text-fg-muted">{options?.description}</div>
            </A.Description>
            {options?.typeToConfirm !== undefined ? (
              <TypeToConfirm
                text={options.typeToConfirm}
                value={typed}
                onValue={setTyped}
                className="mt-4"
              />
            ) : null}
            <div className="mt-5 flex justify-end gap-2">
              <A.Cancel asChild>
                <Button variant="secondary">Cancel</Button>
              </A.Cancel>
              <Button
                variant={options?.destructive === false ? "primary" : "danger"}
                disabled={blocked}
                onClick={() => close(true)}
              >
                {options?.confirmLabel}
              </Button>
            </div>
          </A.Content>
        </A.Portal>
      </A.Root>
    </ConfirmContext.Provider>
  );
}

export function useConfirm(): Confirm {
  const c = useContext(ConfirmContext);
  if (!c) throw new Error("useConfirm needs a ConfirmProvider");
  return c;
}
