// The sidebar's entries. A capability adds its page here and its route in router.tsx.

import {
  Activity,
  Archive,
  Bell,
  Blocks,
  Boxes,
  Building2,
  Cable,
  ClipboardList,
  Clock,
  Database,
  FolderInput,
  FolderOutput,
  GitBranch,
  Globe,
  HardDrive,
  KeyRound,
  LayoutDashboard,
  ListChecks,
  type LucideIcon,
  Mail,
  Mails,
  Network,
  Package,
  Radio,
  Route,
  Server,
  Settings,
  ShieldCheck,
  SquareTerminal,
  UserRoundKey,
  Users,
  UsersRound,
} from "lucide-react";
import type { Me } from "../lib/session.ts";

export interface NavItem {
  to: string;
  label: string;
  icon: LucideIcon;
  /** shown only to those who may use the page (GET /api/v1/me's `can`) */
  can?: keyof Me["can"];
}

export const navSections: { label: string; items: NavItem[] }[] = [
  {
    label: "Overview",
    items: [
      { to: "/", label: "Dashboard", icon: LayoutDashboard },
      { to: "/tasks", label: "Tasks", icon: ListChecks },
      { to: "/events", label: "Events", icon: Bell },
      { to: "/monitors", label: "Monitors", icon: Activity },
      { to: "/status-pages", label: "Status pages", icon: Radio, can: "createMonitor" },
      { to: "/audit", label: "Audit log", icon: ClipboardList, can: "readAudit" },
    ],
  },
  {
    label: "Hosting",
    items: [
      // installation-wide infrastructure
      { to: "/nodes", label: "Nodes", icon: Server, can: "readNodes" },
      { to: "/sites", label: "Sites", icon: Globe },
      { to: "/certificates", label: "Certificates", icon: ShieldCheck },
      { to: "/dns", label: "DNS zones", icon: Network },
      { to: "/dns/providers", label: "DNS providers", icon: KeyRound, can: "createSite" },
      { to: "/system-users", label: "System users", icon: SquareTerminal },
      { to: "/mail", label: "Mail", icon: Mail },
      { to: "/cron-jobs", label: "Cron jobs", icon: Clock },
      { to: "/apps", label: "Apps", icon: Boxes },
      { to: "/cms-sites", label: "CMS sites", icon: Blocks },
      { to: "/github-templates", label: "GitHub templates", icon: GitBranch },
      // the App and the catalog are super users' (access/policies/github.ts)
      { to: "/github-app", label: "GitHub App", icon: Settings, can: "manageUsers" },
      // super users' (access/policies/tunnels.ts): "manageUsers" is what tells the super group
      { to: "/tunnels", label: "Tunnels", icon: Cable, can: "manageUsers" },
    ],
  },
  {
    label: "Databases",
    items: [
      { to: "/databases", label: "Databases", icon: Database },
      { to: "/database-users", label: "Database users", icon: UserRoundKey },
      { to: "/database-servers", label: "Database servers", icon: HardDrive },
    ],
  },
  {
    label: "Backups",
    items: [
      { to: "/backups", label: "Backup plans", icon: Archive },
      { to: "/backups/sources", label: "Backup sources", icon: FolderInput },
      { to: "/backups/destinations", label: "Backup destinations", icon: FolderOutput },
      { to: "/backups/artifacts", label: "Backup artifacts", icon: Package },
    ],
  },
  {
    label: "Notifications",
    items: [
      { to: "/channels", label: "Channels", icon: Bell },
      { to: "/rules", label: "Rules", icon: Route },
      { to: "/templates", label: "Templates", icon: Mails, can: "manageNotifications" },
    ],
  },
  {
    label: "Access",
    items: [
      { to: "/accounts", label: "Accounts", icon: Building2 },
      { to: "/users", label: "Users", icon: Users, can: "manageUsers" },
      { to: "/groups", label: "Groups", icon: UsersRound, can: "manageGroups" },
      { to: "/grants", label: "Grants", icon: KeyRound, can: "manageGrants" },
    ],
  },
];
