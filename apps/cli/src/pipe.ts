// A closed standard output (`steward … | head -5`) ends the process quietly, as it does
// conventional tools: nothing more can be read, so nothing more is worth doing. The exit code
// is 141 (128 + SIGPIPE), what a shell reports for `yes | head -1`'s yes; Node ignores
// SIGPIPE, so a write to the closed pipe fails with EPIPE, emitted asynchronously on the
// stream, which would otherwise crash the process with a stack trace. Any other error of
// the stream is left as it was.
export const CLOSED_PIPE_EXIT = 141;

export function endOnClosedPipe() {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE") throw e;
      process.exit(CLOSED_PIPE_EXIT);
    });
  }
}
