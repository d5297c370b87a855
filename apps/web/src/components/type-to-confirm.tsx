// "Type <name> to confirm": the input a dangerous action waits on until the name is typed.
import { useId } from "react";
import { cn } from "../lib/cn.ts";
import { Input } from "./ui/input.tsx";

interface TypeToConfirmProps {
  /** what must be typed */
  text: string;
  /** what is typed so far, and where what is typed goes */
  value: string;
  onValue: (value: string) => void;
  className?: string;
}

export function TypeToConfirm({ text, value, onValue, className }: TypeToConfirmProps) {
  const id = useId();
  return (
    <div className={cn("grid gap-1.5 text-sm", className)}>
      <label htmlFor={id}>
        Type <strong className="font-mono break-all">{text}</strong> to confirm
      </label>
      <Input
        id={id}
        value={value}
        onChange={(event) => onValue(event.target.value)}
        autoComplete="off"
        spellCheck={false}
      />
    </div>
  );
}
