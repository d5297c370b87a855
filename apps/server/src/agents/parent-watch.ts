// Preloaded (`node --import`) into the local agent's process by `serve` (agents/local.ts):
// the agent stops when its parent dies, even by SIGKILL. Its standard input is a pipe whose
// only writer is the parent; the kernel closes it when the parent exits, however it exits,
// so end-of-file on it means "the panel is gone". Node has no prctl(PR_SET_PDEATHSIG).
const stop = () => {
  // SIGTERM to itself: the agent's own shutdown runs if it has one, else the default ends it
  process.kill(process.pid, "SIGTERM");
  setTimeout(() => process.exit(1), 5_000).unref();
};
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.on("error", stop);
process.stdin.resume();
// the watch alone must not keep the process running
(process.stdin as unknown as { unref?: () => void }).unref?.();
