// The signed-in layout: sidebar (a drawer on narrow screens), the page, sign-out.
import { useQueryClient } from "@tanstack/react-query";
import { Link, Outlet, useNavigate, useRouterState } from "@tanstack/react-router";
import { LogOut, Menu, UserRound, X } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { signOut } from "../lib/auth.ts";
import { cn } from "../lib/cn.ts";
import { useMe } from "../lib/session.ts";
import { navSections } from "./nav.ts";
import { ThemeSwitch } from "./theme-switch.tsx";
import { Toasts } from "./toasts.tsx";
import { Button } from "./ui/button.tsx";

const allEntries = navSections.flatMap((section) => section.items.map((item) => item.to));

function Sidebar({ onNavigate }: { onNavigate?: () => void }) {
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  // the entry whose address is the longest start of the page's (/backups/sources is not /backups)
  const current = allEntries
    .filter((to) =>
      to === "/" ? pathname === "/" : pathname === to || pathname.startsWith(`${to}/`),
    )
    .sort((a, b) => b.length - a.length)[0];
  const active = (to: string) => to === current;
  return (
    <div className="flex h-full flex-col gap-4 p-3">
      <Link
        to="/"
        className="flex items-center gap-2 px-2 py-1 text-lg font-semibold"
        onClick={onNavigate}
      >
        <img src="/favicon.svg" alt="" className="h-7 w-7" />
        Steward
      </Link>
      <nav aria-label="Main" className="grid flex-1 content-start gap-4 overflow-y-auto">
        {navSections.map((section) => {
          const items = section.items.filter((i) => !i.can || me.can[i.can]);
          if (!items.length) return null;
          return (
            <div key={section.label}>
              <p className="px-2 pb-1 text-xs font-medium tracking-wide text-fg-muted uppercase">
                {section.label}
              </p>
              <ul className="grid gap-0.5">
                {items.map(({ to, label, icon: Icon }) => (
                  <li key={to}>
                    <Link
                      to={to}
                      onClick={onNavigate}
                      aria-current={active(to) ? "page" : undefined}
                      className={cn(
                        "flex items-center gap-2 rounded-md px-2 py-1.5 text-sm text-fg-muted hover:bg-muted hover:text-fg",
                        active(to) && "bg-muted font-medium text-fg",
                      )}
                    >
                      <Icon className="h-4 w-4" aria-hidden="true" />
                      {label}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </nav>
      <div className="grid gap-2 border-t border-border pt-3">
        <ThemeSwitch />
        <Link
          to="/profile"
          onClick={onNavigate}
          className="flex min-w-0 items-center gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-muted"
        >
          <UserRound className="h-4 w-4 shrink-0" aria-hidden="true" />
          <span className="truncate">{me.email}</span>
        </Link>
        <Button
          variant="ghost"
          className="justify-start px-2"
          onClick={async () => {
            await signOut().catch(() => undefined);
            queryClient.clear();
            await navigate({ to: "/sign-in" });
          }}
        >
          <LogOut className="h-4 w-4" aria-hidden="true" />
          Sign out
        </Button>
      </div>
    </div>
  );
}

/** The drawer's state: it closes on navigation and on Escape, and focus goes back to its button. */
function useDrawer() {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  // biome-ignore lint/correctness/useExhaustiveDependencies: the drawer closes on navigation
  useEffect(() => setOpen(false), [pathname]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") close();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  });
  const close = () => {
    setOpen(false);
    opener.current?.focus();
  };
  return { open, opener, show: () => setOpen(true), close, hide: () => setOpen(false) };
}

export function AppShell() {
  const drawer = useDrawer();
  return (
    <div className="min-h-screen md:grid md:grid-cols-[15rem_1fr]">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-surface focus:p-2"
      >
        Skip to content
      </a>
      {/* the cell spans the page's height (background, border); the sidebar in it stays put */}
      <div className="hidden border-r border-border bg-surface md:block">
        <aside className="sticky top-0 h-screen">
          <Sidebar />
        </aside>
      </div>
      <header className="sticky top-0 z-30 flex items-center gap-2 border-b border-border bg-surface px-3 py-2 md:hidden">
        <Button
          variant="ghost"
          size="icon"
          aria-label="Open menu"
          aria-expanded={drawer.open}
          ref={drawer.opener}
          onClick={drawer.show}
        >
          <Menu className="h-5 w-5" aria-hidden="true" />
        </Button>
        <span className="font-semibold">Steward</span>
      </header>
      {drawer.open ? (
        <div className="fixed inset-0 z-40 md:hidden">
          <button
            type="button"
            aria-label="Close menu"
            className="absolute inset-0 bg-black/50"
            onClick={drawer.close}
          />
          <div className="absolute inset-y-0 left-0 w-64 border-r border-border bg-surface">
            <Button
              variant="ghost"
              size="icon"
              aria-label="Close menu"
              className="absolute top-3 right-2"
              onClick={drawer.close}
            >
              <X className="h-5 w-5" aria-hidden="true" />
            </Button>
            <Sidebar onNavigate={drawer.hide} />
          </div>
        </div>
      ) : null}
      <main id="main" className="mx-auto w-full max-w-6xl min-w-0 p-4 md:p-8">
        <Outlet />
      </main>
      <Toasts />
    </div>
  );
}
