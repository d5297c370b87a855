// "Send test" on a channel and the provider's answer: delivered or not, the status, the
// error in the provider's words, what it answered and the request sent (secrets redacted).
import { Send } from "lucide-react";
import { useState } from "react";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Dialog } from "../components/ui/dialog.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import type { Channel } from "./channel-form.tsx";
import { JsonText } from "./tasks-parts.tsx";

export function SendTestButton({ channel }: { channel: Channel }) {
  const [open, setOpen] = useState(false);
  const send = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/notification-channels/{id}/test", {
          params: { path: { id: channel.id } },
        }),
      ),
    { invalidate: [["channels"]], onSuccess: () => setOpen(true) },
  );
  const result = send.data;
  return (
    <>
      <Button size="sm" variant="secondary" busy={send.isPending} onClick={() => send.mutate()}>
        <Send className="h-3.5 w-3.5" aria-hidden="true" /> Send test
      </Button>
      {send.error ? <p className="text-xs text-danger">{String(send.error)}</p> : null}
      <Dialog open={open} onOpenChange={setOpen} title={`Test of ${channel.name}`}>
        {result ? (
          <div className="grid gap-3 text-sm">
            <p className="flex flex-wrap items-center gap-2">
              <Badge tone={result.ok ? "ok" : "danger"}>{result.ok ? "delivered" : "failed"}</Badge>
              <span>Provider's status: {result.status ?? "no answer"}</span>
            </p>
            {result.error ? <p className="wrap-anywhere text-danger">{result.error}</p> : null}
            <section className="grid gap-1">
              <h3 className="font-medium">The provider's answer</h3>
              <JsonText value={result.response ?? "(none)"} />
            </section>
            <section className="grid gap-1">
              <h3 className="font-medium">
                The request: {result.request.method}{" "}
                <span className="font-mono break-all">{result.request.url}</span>
              </h3>
              <JsonText value={result.request.headers} />
              <JsonText value={result.request.body} />
            </section>
          </div>
        ) : null}
      </Dialog>
    </>
  );
}
