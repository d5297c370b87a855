// Running arm64 (aarch64) Linux executables on this x64 machine: Debian's qemu-user-static
// emulates the CPU for one process (no binfmt registration needed when it is called
// directly), and the arm64 C and C++ runtimes of Debian's cross packages, under
// /usr/aarch64-linux-gnu, are what a dynamically linked arm64 binary (Node) loads.
import { existsSync } from "node:fs";
import { missing } from "./system.ts";

const QEMU = "/usr/bin/qemu-aarch64-static";
const SYSROOT = "/usr/aarch64-linux-gnu";

export interface Aarch64Runner {
  /** the file to spawn */
  file: string;
  /** its arguments for running `binary args…` under emulation */
  args(binary: string, args: string[]): string[];
}

export function aarch64Runner(): Aarch64Runner | null {
  const hint =
    "apt-get install qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross";
  if (!existsSync(QEMU)) return missing("qemu-aarch64-static", hint);
  for (const lib of ["ld-linux-aarch64.so.1", "libc.so.6", "libstdc++.so.6", "libgcc_s.so.1"])
    if (!existsSync(`${SYSROOT}/lib/${lib}`)) return missing(`the arm64 ${lib}`, hint);
  return { file: QEMU, args: (binary, args) => ["-L", SYSROOT, binary, ...args] };
}
