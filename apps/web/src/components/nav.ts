// The sidebar's entries. A capability adds its page here and its route in router.tsx.
import {
  Building2,
  ClipboardList,
  Globe,
  KeyRound,
  LayoutDashboard,
  ListChecks,
  type LucideIcon,
  Server,
  Users,
  UsersRound,
} from "lucide-react";

export interface NavItem {
  to: string;
  label: string;
  icon: LucideIcon;
  /** shown to super users only */
  superOnly?: boolean;
}

export const navSections: { label: string; items: NavItem[] }[] = [
  {
    label: "Overview",
    items: [
      { to: "/", label: "Dashboard", icon: LayoutDashboard },
      { to: "/tasks", label: "Tasks", icon: ListChecks },
      { to: "/audit", label: "Audit log", icon: ClipboardList },
    ],
  },
  {
    label: "Hosting",
    items: [
      // installation-wide infrastructure
      { to: "/nodes", label: "Nodes", icon: Server, superOnly: true },
      { to: "/sites", label: "Sites", icon: Globe },
    ],
  },
  {
    label: "Access",
    items: [
      { to: "/accounts", label: "Accounts", icon: Building2 },
      { to: "/users", label: "Users", icon: Users, superOnly: true },
      { to: "/groups", label: "Groups", icon: UsersRound, superOnly: true },
      { to: "/grants", label: "Grants", icon: KeyRound, superOnly: true },
    ],
  },
];
