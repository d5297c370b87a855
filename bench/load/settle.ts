// Waits until a panel is idle: `path` asked until its answer no longer matches `busy`, at
// most `seconds`. Between measured endpoints, and after probes that gave up, the requests
// the panel still works on would otherwise slow what comes next.
export interface Settle {
  path: string;
  /** a regular expression (multiline) that matches while the panel is busy */
  busy: string;
}

/** true when idle in time */
export async function settle(url: string, how: Settle, seconds: number): Promise<boolean> {
  const deadline = Date.now() + seconds * 1000;
  const busy = new RegExp(how.busy, "m");
  while (Date.now() < deadline) {
    const signal = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
    const text = await fetch(`${url}${how.path}`, { signal }).then(
      (res) => res.text(),
      () => null, // no answer in time: the deadline says it
    );
    if (text !== null && !busy.test(text)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
