// The console tests' CMS site: the account "Agency" with the test WordPress added to it as
// "Company blog", diagnosed sound. Both are found again when vitest runs a failed test a second
// time in the same panel (a second "agency" would be refused, and the retry could never
// pass), and a diagnosis that got no answer (a loaded machine: a cold site has outrun the
// panel's 30 s) is asked again once, the site's logs in the failure if it fails again.
import { expectSound } from "@steward/server/testing/wordpress-connector";
import type { WordPressSite } from "@steward/testkit";

// biome-ignore lint/suspicious/noExplicitAny: the API's answers are read by shape
type Api = (method: string, path: string, body?: unknown) => Promise<any>;

export async function agencyBlog(api: Api, site: WordPressSite, more: { timezone?: string } = {}) {
  const accounts = await api("GET", "/api/v1/accounts?q=agency&limit=100");
  const account =
    accounts.items?.find((a: { slug: string }) => a.slug === "agency") ??
    (await api("POST", "/api/v1/accounts", { slug: "agency", name: "Agency" }));
  const sites = await api("GET", `/api/v1/cms-sites?account=${account.id}&limit=100`);
  const blog =
    sites.items?.find((s: { name: string }) => s.name === "Company blog") ??
    (await api("POST", "/api/v1/cms-sites", {
      account: account.id,
      name: "Company blog",
      url: site.url,
      username: site.admin.user,
      applicationPassword: site.admin.applicationPassword,
      ...more,
    }));
  await expectSound(blog, () => api("POST", `/api/v1/cms-sites/${blog.id}/diagnose`), site);
  return { account, blog };
}
