// A new heartbeat monitor's address, shown once: the URL a cron job or a backup calls, and a
// curl line to paste after the job (the API keeps only the token's hash).
import { Button } from "../components/ui/button.tsx";
import { CopyButton } from "./profile-parts.tsx";
import { JsonText } from "./tasks-parts.tsx";

export function HeartbeatUrl({ token, onDone }: { token: string; onDone: () => void }) {
  const url = `${window.location.origin}/api/v1/heartbeat/${token}`;
  const curl = `curl -fsS -m 10 --retry 3 -X POST ${url}`;
  return (
    <div className="grid gap-4 text-sm">
      <p>
        Call this address after each run of the job; a missing call within the interval and its
        grace makes the monitor down. It is shown once: copy it now.
      </p>
      <section className="grid gap-1">
        <h3 className="flex items-center justify-between gap-2 font-medium">
          Push URL <CopyButton text={url} label="the push URL" />
        </h3>
        <JsonText value={url} />
      </section>
      <section className="grid gap-1">
        <h3 className="flex items-center justify-between gap-2 font-medium">
          After the job, e.g. in its crontab line <CopyButton text={curl} label="the curl line" />
        </h3>
        <JsonText value={curl} />
      </section>
      <div className="flex justify-end">
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}
