import type { ReactNode } from "react";
import { usePageTitle } from "../lib/title.ts";
import { ThemeSwitch } from "./theme-switch.tsx";

/** The centred card of the signed-out pages (sign-in, setup). */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  usePageTitle(title);
  return (
    <main className="grid min-h-screen place-items-center p-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-between">
          <span className="flex items-center gap-2 text-lg font-semibold">
            <img src="/favicon.svg" alt="" className="h-7 w-7" /> Steward
          </span>
          <div className="w-28">
            <ThemeSwitch />
          </div>
        </div>
        <section className="rounded-lg border border-border bg-surface p-6 shadow-sm">
          <h1 className="mb-5 text-xl font-semibold">{title}</h1>
          {children}
        </section>
      </div>
    </main>
  );
}
