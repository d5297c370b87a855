// The document's title follows the page (WCAG 2.4.2): "Sites · Steward". PageHeader, AuthCard
// and the not-found page set it, so every route has one.
import { useEffect } from "react";

export function usePageTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · Steward`;
  }, [title]);
}
