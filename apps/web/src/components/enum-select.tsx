import type { SelectHTMLAttributes } from "react";
import { Select } from "./ui/input.tsx";

type Option = string | { value: string; label: string };

/** A filter on one of a few values (a state, a status, a role), or all of them. */
export function EnumSelect({
  label,
  allLabel,
  options,
  value,
  onChange,
  className = "w-40",
  ...rest
}: {
  label: string;
  allLabel: string;
  /** the values, or values with the words shown for them */
  options: readonly Option[];
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  className?: string;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, "value" | "onChange">) {
  return (
    <Select
      {...rest}
      aria-label={label}
      className={className}
      value={value ?? ""}
      onChange={(e) => onChange(e.target.value || undefined)}
    >
      <option value="">{allLabel}</option>
      {options.map((o) => {
        const { value: v, label: text } = typeof o === "string" ? { value: o, label: o } : o;
        return (
          <option key={v} value={v}>
            {text}
          </option>
        );
      })}
    </Select>
  );
}
