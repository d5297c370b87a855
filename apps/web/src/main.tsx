import "./styles.css";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ConfirmProvider } from "./components/ui/confirm.tsx";
import { onSessionEnded } from "./lib/api.ts";
import { ApiError } from "./lib/errors.ts";
import { makeRouter } from "./router.tsx";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // a refused or missing resource is not retried; a network hiccup is, twice
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    },
  },
});
const router = makeRouter(queryClient);

// A session that ends (expired, signed out elsewhere, user disabled) sends the person to
// sign-in; after signing in they come back to the page they were on.
onSessionEnded(() => {
  const { pathname, href } = router.state.location;
  if (pathname === "/sign-in" || pathname === "/setup") return;
  queryClient.clear();
  void router.navigate({ to: "/sign-in", search: { redirect: href } });
});

const el = document.getElementById("root");
if (el) {
  createRoot(el).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <ConfirmProvider>
          <RouterProvider router={router} />
        </ConfirmProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
