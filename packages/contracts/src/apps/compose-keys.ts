// The vocabulary of the compose check (compose-rules.ts): what a super user may allow on a node
// beyond an app's sandbox, and the service keys Steward accepts at all.

/** What compose files may ask of a node when a super user allows it (per node). */
export const COMPOSE_ALLOWANCES = [
  "privileged",
  "host-network",
  "host-pid",
  "host-ipc",
  "host-userns",
  "devices",
  "cap-add",
  "security-unconfined",
  "host-paths",
] as const;
export type ComposeAllowance = (typeof COMPOSE_ALLOWANCES)[number];

/**
 * The service keys Steward accepts (any other is refused); those that reach past the sandbox
 * (privileged, network_mode, pid, ipc, userns_mode, devices, cap_add, security_opt) are
 * checked further by compose-rules.ts.
 */
export const SERVICE_KEYS: ReadonlySet<string> = new Set([
  "image",
  "build",
  "command",
  "entrypoint",
  "environment",
  "env_file",
  "ports",
  "expose",
  "volumes",
  "depends_on",
  "restart",
  "healthcheck",
  "labels",
  "networks",
  "working_dir",
  "user",
  "stop_signal",
  "stop_grace_period",
  "tmpfs",
  "ulimits",
  "mem_limit",
  "mem_reservation",
  "memswap_limit",
  "cpus",
  "cpu_shares",
  "deploy",
  "hostname",
  "domainname",
  "init",
  "read_only",
  "shm_size",
  "tty",
  "stdin_open",
  "extra_hosts",
  "dns",
  "dns_search",
  "links",
  "sysctls",
  "cap_drop",
  "pids_limit",
  "platform",
  "pull_policy",
  "profiles",
  "group_add",
  "configs",
  "secrets",
  "privileged",
  "network_mode",
  "pid",
  "ipc",
  "userns_mode",
  "devices",
  "cap_add",
  "security_opt",
]);
