// The status pages' service and the public pages' cache, made together: a change through the
// service drops the slug's cached answer.
import type { Db } from "../../db/open.ts";
import { createPublicStatus } from "./public.ts";
import { createStatusPagesService } from "./service.ts";

export function composeStatusPages(o: { db: Db }) {
  const pages = createPublicStatus({ db: o.db });
  const service = createStatusPagesService({ db: o.db, changed: (slug) => pages.forget(slug) });
  return { service, public: pages };
}
