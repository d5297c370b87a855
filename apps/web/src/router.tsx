// Every page of the console. Pages load lazily, so sign-in needs only the shell's code.
// A capability adds its routes here and its sidebar entry in components/nav.ts.
import type { QueryClient } from "@tanstack/react-query";
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
  stringifySearchWith,
} from "@tanstack/react-router";
import { AppShell } from "./components/app-shell.tsx";
import { NotFound, RouteError } from "./components/route-states.tsx";
import { meQuery, safeRedirect } from "./lib/session.ts";

interface Context {
  queryClient: QueryClient;
}

const root = createRootRouteWithContext<Context>()({
  component: Outlet,
  notFoundComponent: NotFound,
  errorComponent: RouteError,
});

/** A search parameter: a bounded string or absent (absent ones stay out of the URL). */
// the router's query decoding turns `true`, `false` and plain numbers into booleans and numbers:
// every filter is text, so they read back as the text that was typed
const str = (v: unknown): string | undefined => {
  const text = typeof v === "boolean" || typeof v === "number" ? String(v) : v;
  return typeof text === "string" && text.length > 0 && text.length <= 2000 ? text : undefined;
};

/** Keeps only the parameters that are set, so links need not name every filter. */
function pick<K extends string>(s: Record<string, unknown>, keys: readonly K[]) {
  const out: Partial<Record<K, string>> = {};
  for (const k of keys) {
    const value = str(s[k]);
    if (value !== undefined) out[k] = value;
  }
  return out;
}

const setup = createRoute({
  getParentRoute: () => root,
  path: "/setup",
  validateSearch: (s: Record<string, unknown>): { token?: string } => pick(s, ["token"]),
  component: lazyRouteComponent(() => import("./routes/setup.tsx"), "SetupPage"),
});

const signIn = createRoute({
  getParentRoute: () => root,
  path: "/sign-in",
  validateSearch: (s: Record<string, unknown>): { redirect?: string; error?: string } =>
    pick(s, ["redirect", "error"]),
  beforeLoad: async ({ context, search }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    if (me) throw redirect({ href: safeRedirect(search.redirect) });
  },
  component: lazyRouteComponent(() => import("./routes/sign-in.tsx"), "SignInPage"),
});

/** Everything below needs a session; without one the person goes to sign-in and comes back. */
const app = createRoute({
  getParentRoute: () => root,
  id: "app",
  beforeLoad: async ({ context, location }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    if (!me) throw redirect({ to: "/sign-in", search: { redirect: location.href } });
  },
  component: AppShell,
});

const taskSearch = (s: Record<string, unknown>) => pick(s, ["state", "kind", "account"]);

// `sort`: the order of a list whose columns sort (checked by the page against its columns)
const nodeSearch = (s: Record<string, unknown>) => pick(s, ["state", "q", "sort"]);
const siteSearch = (s: Record<string, unknown>) => pick(s, ["status", "node", "q", "sort"]);
const appSearch = (s: Record<string, unknown>) =>
  pick(s, ["account", "node", "status", "source", "q"]);
const certificateSearch = (s: Record<string, unknown>) => pick(s, ["state", "sort"]);
const dnsSearch = (s: Record<string, unknown>) => pick(s, ["account"]);
const databaseSearch = (s: Record<string, unknown>) => pick(s, ["account", "server"]);
const databaseItemSearch = (s: Record<string, unknown>) => pick(s, ["account", "server", "engine"]);

const textSearch = (s: Record<string, unknown>) => pick(s, ["q", "sort"]);
const userSearch = (s: Record<string, unknown>) => pick(s, ["q", "disabled", "sort"]);
const grantSearch = (s: Record<string, unknown>) => pick(s, ["principalType", "scopeType", "role"]);

const channelSearch = (s: Record<string, unknown>) => pick(s, ["kind", "q"]);
const ruleSearch = (s: Record<string, unknown>) => pick(s, ["account"]);
const deliverySearch = (s: Record<string, unknown>) => pick(s, ["state", "since"]);
const explorerSearch = (s: Record<string, unknown>) =>
  pick(s, ["status", "verified", "plan", "source", "since", "minMib"]);
const monitorSearch = (s: Record<string, unknown>) => pick(s, ["state", "kind", "account", "q"]);

const backupSearch = (s: Record<string, unknown>) => pick(s, ["account"]);
const artifactSearch = (s: Record<string, unknown>) =>
  pick(s, ["plan", "source", "destination", "verified", "from", "to"]);

const auditSearch = (s: Record<string, unknown>) =>
  pick(s, ["actor", "action", "target", "account", "outcome", "since", "until"]);

const eventSearch = (s: Record<string, unknown>) =>
  pick(s, ["type", "severity", "outcome", "account", "since"]);

const routeTree = root.addChildren([
  setup,
  signIn,
  app.addChildren([
    createRoute({
      getParentRoute: () => app,
      path: "/",
      component: lazyRouteComponent(() => import("./routes/dashboard.tsx"), "DashboardPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/profile",
      component: lazyRouteComponent(() => import("./routes/profile.tsx"), "ProfilePage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/users",
      validateSearch: userSearch,
      component: lazyRouteComponent(() => import("./routes/users.tsx"), "UsersPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/users/$id",
      component: lazyRouteComponent(() => import("./routes/user-detail.tsx"), "UserDetailPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/groups",
      validateSearch: textSearch,
      component: lazyRouteComponent(() => import("./routes/groups.tsx"), "GroupsPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/groups/$id",
      component: lazyRouteComponent(() => import("./routes/group-detail.tsx"), "GroupDetailPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/grants",
      validateSearch: grantSearch,
      component: lazyRouteComponent(() => import("./routes/grants.tsx"), "GrantsPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/accounts",
      validateSearch: textSearch,
      component: lazyRouteComponent(() => import("./routes/accounts.tsx"), "AccountsPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/accounts/$id",
      component: lazyRouteComponent(
        () => import("./routes/account-detail.tsx"),
        "AccountDetailPage",
      ),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/tasks",
      validateSearch: taskSearch,
      component: lazyRouteComponent(() => import("./routes/tasks.tsx"), "TasksPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/tasks/$id",
      component: lazyRouteComponent(() => import("./routes/task-detail.tsx"), "TaskDetailPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/nodes",
      validateSearch: nodeSearch,
      component: lazyRouteComponent(() => import("./routes/nodes.tsx"), "NodesPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/nodes/$id",
      component: lazyRouteComponent(() => import("./routes/node-detail.tsx"), "NodeDetailPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/sites",
      validateSearch: siteSearch,
      component: lazyRouteComponent(() => import("./routes/sites.tsx"), "SitesPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/sites/$id",
      component: lazyRouteComponent(() => import("./routes/site-detail.tsx"), "SiteDetailPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/channels",
      validateSearch: channelSearch,
      component: lazyRouteComponent(() => import("./routes/channels.tsx"), "ChannelsPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/monitors",
      validateSearch: monitorSearch,
      component: lazyRouteComponent(() => import("./routes/monitors.tsx"), "MonitorsPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/rules",
      validateSearch: ruleSearch,
      component: lazyRouteComponent(() => import("./routes/rules.tsx"), "RulesPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/channels/$id/deliveries",
      validateSearch: deliverySearch,
      component: lazyRouteComponent(
        () => import("./routes/channel-deliveries.tsx"),
        "ChannelDeliveriesPage",
      ),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/backups/destinations/$id/objects",
      validateSearch: explorerSearch,
      component: lazyRouteComponent(
        () => import("./routes/backup-explorer.tsx"),
        "BackupExplorerPage",
      ),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/templates",
      component: lazyRouteComponent(() => import("./routes/templates.tsx"), "TemplatesPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/database-servers",
      validateSearch: databaseSearch,
      component: lazyRouteComponent(
        () => import("./routes/database-servers.tsx"),
        "DatabaseServersPage",
      ),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/database-servers/$id",
      component: lazyRouteComponent(
        () => import("./routes/database-server.tsx"),
        "DatabaseServerPage",
      ),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/databases",
      validateSearch: databaseItemSearch,
      component: lazyRouteComponent(() => import("./routes/databases.tsx"), "DatabasesPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/backups/artifacts/$id",
      component: lazyRouteComponent(
        () => import("./routes/backup-artifact.tsx"),
        "BackupArtifactPage",
      ),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/databases/$id",
      component: lazyRouteComponent(() => import("./routes/database-detail.tsx"), "DatabasePage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/database-users",
      validateSearch: databaseItemSearch,
      component: lazyRouteComponent(
        () => import("./routes/database-users.tsx"),
        "DatabaseUsersPage",
      ),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/databases/$id/sql",
      component: lazyRouteComponent(
        () => import("./routes/database-console.tsx"),
        "DatabaseConsolePage",
      ),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/certificates",
      validateSearch: certificateSearch,
      component: lazyRouteComponent(() => import("./routes/certificates.tsx"), "CertificatesPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/apps",
      validateSearch: appSearch,
      component: lazyRouteComponent(() => import("./routes/apps.tsx"), "AppsPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/system-users",
      component: lazyRouteComponent(() => import("./routes/system-users.tsx"), "SystemUsersPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/cron-jobs",
      component: lazyRouteComponent(() => import("./routes/cron-jobs.tsx"), "CronJobsPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/apps/$id",
      component: lazyRouteComponent(() => import("./routes/app-detail.tsx"), "AppDetailPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/dns",
      validateSearch: dnsSearch,
      component: lazyRouteComponent(() => import("./routes/dns.tsx"), "DnsZonesPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/dns/providers",
      validateSearch: dnsSearch,
      component: lazyRouteComponent(() => import("./routes/dns-providers.tsx"), "DnsProvidersPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/dns/$id",
      component: lazyRouteComponent(() => import("./routes/dns-zone.tsx"), "DnsZonePage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/mail",
      validateSearch: dnsSearch,
      component: lazyRouteComponent(() => import("./routes/mail.tsx"), "MailDomainsPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/mail/$id",
      component: lazyRouteComponent(() => import("./routes/mail-domain.tsx"), "MailDomainPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/cms-sites",
      component: lazyRouteComponent(() => import("./routes/cms-sites.tsx"), "CmsSitesPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/cms-sites/$id",
      component: lazyRouteComponent(
        () => import("./routes/cms-site-detail.tsx"),
        "CmsSiteDetailPage",
      ),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/tunnels",
      component: lazyRouteComponent(() => import("./routes/tunnels.tsx"), "TunnelsPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/github-app",
      component: lazyRouteComponent(() => import("./routes/github-app.tsx"), "GithubAppPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/github-templates",
      component: lazyRouteComponent(
        () => import("./routes/github-templates.tsx"),
        "GithubTemplatesPage",
      ),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/status-pages",
      component: lazyRouteComponent(() => import("./routes/status-pages.tsx"), "StatusPagesPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/status-pages/$id",
      component: lazyRouteComponent(
        () => import("./routes/status-page-detail.tsx"),
        "StatusPageDetailPage",
      ),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/monitors/$id",
      component: lazyRouteComponent(
        () => import("./routes/monitor-detail.tsx"),
        "MonitorDetailPage",
      ),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/backups",
      validateSearch: backupSearch,
      component: lazyRouteComponent(() => import("./routes/backup-plans.tsx"), "BackupPlansPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/backups/new",
      component: lazyRouteComponent(() => import("./routes/backup-setup.tsx"), "BackupSetupPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/backups/plans/$id",
      component: lazyRouteComponent(() => import("./routes/backup-plan.tsx"), "BackupPlanPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/backups/runs/$id",
      component: lazyRouteComponent(() => import("./routes/backup-run.tsx"), "BackupRunPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/backups/sources",
      validateSearch: backupSearch,
      component: lazyRouteComponent(
        () => import("./routes/backup-sources.tsx"),
        "BackupSourcesPage",
      ),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/backups/destinations",
      validateSearch: backupSearch,
      component: lazyRouteComponent(
        () => import("./routes/backup-destinations.tsx"),
        "BackupDestinationsPage",
      ),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/backups/artifacts",
      validateSearch: artifactSearch,
      component: lazyRouteComponent(
        () => import("./routes/backup-artifacts.tsx"),
        "BackupArtifactsPage",
      ),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/audit",
      validateSearch: auditSearch,
      component: lazyRouteComponent(() => import("./routes/audit.tsx"), "AuditPage"),
    }),
    createRoute({
      getParentRoute: () => app,
      path: "/events",
      validateSearch: eventSearch,
      component: lazyRouteComponent(() => import("./routes/events.tsx"), "EventsPage"),
    }),
  ]),
]);

export function makeRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: "intent",
    scrollRestoration: true,
    // every filter in a URL is text, written as typed: `?verified=true`, not `"true"` quoted
    stringifySearch: stringifySearchWith(JSON.stringify),
  });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof makeRouter>;
  }
}
