import { Monitor, Moon, Sun } from "lucide-react";
import { cn } from "../lib/cn.ts";
import { type Theme, useTheme } from "../lib/theme.ts";

const choices: { value: Theme; label: string; icon: typeof Sun }[] = [
  { value: "light", label: "Light", icon: Sun },
  { value: "dark", label: "Dark", icon: Moon },
  { value: "system", label: "System", icon: Monitor },
];

/** Light, dark or the system's theme; remembered in this browser. */
export function ThemeSwitch() {
  const [theme, setTheme] = useTheme();
  return (
    <fieldset aria-label="Theme" className="m-0 flex min-w-0 rounded-md border border-border p-0.5">
      {choices.map(({ value, label, icon: Icon }) => (
        <button
          key={value}
          type="button"
          aria-pressed={theme === value}
          aria-label={label}
          title={label}
          onClick={() => setTheme(value)}
          className={cn(
            "flex h-7 flex-1 items-center justify-center rounded px-2 text-fg-muted hover:text-fg",
            theme === value && "bg-muted text-fg",
          )}
        >
          <Icon className="h-4 w-4" aria-hidden="true" />
        </button>
      ))}
    </fieldset>
  );
}
