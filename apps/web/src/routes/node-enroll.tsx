// Adding a node (it stays pending until its agent enrolls) and making an enrollment token:
// both end on the one-line installer (docs/install.md) and the `steward agent enroll …`
// command, shown once.
import { Link } from "@tanstack/react-router";
import { KeyRound } from "lucide-react";
import { useState } from "react";
import { SecretDialog } from "../components/secret-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import { Alert, ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { api, unwrap } from "../lib/api.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { EnrollmentCommand, type EnrollmentToken, type NodeInfo } from "./hosting-parts.tsx";
import { SecretValue } from "./profile-parts.tsx";

async function newToken(id: string): Promise<EnrollmentToken> {
  return unwrap(
    await api.POST("/api/v1/nodes/{id}/enrollment-token", { params: { path: { id } } }),
  );
}

/** Whether the command's `--panel` address is this machine only (another server cannot reach it). */
export function loopbackPanel(command: string): boolean {
  const panel = /--panel (\S+)/.exec(command)?.[1];
  if (!panel || !URL.canParse(panel)) return false;
  const host = new URL(panel).hostname.replace(/^\[|\]$/g, "");
  return (
    host === "localhost" || host.endsWith(".localhost") || host === "::1" || host.startsWith("127.")
  );
}

/**
 * The one-line installer (the single-file agent from this panel), and as the alternative the
 * command for a server with Steward's checkout; a warning when the node cannot reach the panel.
 */
function EnrollSteps({ token }: { token: EnrollmentToken }) {
  return (
    <div className="grid gap-3">
      {loopbackPanel(token.command) ? (
        <Alert tone="warn">
          The panel's public URL is this machine's loopback address, which another server cannot
          reach. Start the panel with <code className="font-mono">STEWARD_PUBLIC_URL</code> set to
          an address the node can reach, then make a new token.
        </Alert>
      ) : null}
      {token.installCommand ? (
        <>
          <p className="text-sm">
            On the other server (Linux on x86_64 or arm64, with systemd), run this as root. It
            downloads the agent from this panel as one file, checks its SHA-256, installs it with a
            systemd unit, enrolls it and starts it.
          </p>
          <SecretValue value={token.installCommand} label="One-line installer" />
          {token.panelPin ? (
            <p className="text-sm text-fg-muted">
              This panel's certificate is self-signed: the line trusts only its key,{" "}
              <code className="font-mono break-all">{token.panelPin}</code>.
            </p>
          ) : null}
          <p className="text-sm">
            Or, on a server with a checkout of Steward and Node.js 24 (nginx and PHP-FPM for sites):
          </p>
        </>
      ) : (
        <p className="text-sm">
          On the other server, first install Node.js 24, nginx and PHP-FPM, and the{" "}
          <code className="font-mono">steward</code> command (a checkout of Steward with{" "}
          <code className="font-mono">npm ci</code>).
        </p>
      )}
      <EnrollmentCommand token={token} />
    </div>
  );
}

interface Added {
  node: NodeInfo;
  token?: EnrollmentToken;
  tokenError?: unknown;
}

export function AddNodeDialog({ open, onOpenChange }: DialogProps) {
  const [name, setName] = useState("");
  const [agentUrl, setAgentUrl] = useState("");
  const [added, setAdded] = useState<Added | null>(null);
  const create = useApiMutation(
    async (): Promise<Added> => {
      const node = unwrap(
        await api.POST("/api/v1/nodes", {
          body: { name: name.trim(), agentUrl: agentUrl.trim() },
        }),
      );
      try {
        return { node, token: await newToken(node.id) };
      } catch (tokenError) {
        return { node, tokenError };
      }
    },
    {
      invalidate: [["nodes"]],
      onSuccess: (a) => {
        setAdded(a);
        setName("");
        setAgentUrl("");
      },
    },
  );
  const change = resetOnClose(create, (o: boolean) => {
    if (!o) setAdded(null);
    onOpenChange(o);
  });
  return (
    <SecretDialog
      open={open}
      onOpenChange={change}
      title={added ? `Enroll ${added.node.name}` : "Add node"}
      description={
        added
          ? "The node is added and waits for its agent."
          : "A server running the Steward agent. It stays pending until the agent enrolls."
      }
      secret={
        added ? (
          <>
            {added.token ? <EnrollSteps token={added.token} /> : null}
            <ErrorAlert error={added.tokenError} />
            {added.tokenError ? (
              <p className="text-sm">Create an enrollment token on the node's page.</p>
            ) : null}
          </>
        ) : null
      }
      actions={
        added ? (
          <Link
            to="/nodes/$id"
            params={{ id: added.node.id }}
            className="inline-flex h-9 items-center rounded-md border border-border px-4 text-sm font-medium hover:bg-muted"
          >
            Open the node
          </Link>
        ) : null
      }
      form={{ mutation: create, shown: ["name", "agentUrl"], submitLabel: "Add node" }}
    >
      <TextField
        label="Name"
        hint="Lowercase letters, digits, dots and dashes, like web-1."
        field="name"
        value={name}
        onValue={setName}
        maxLength={63}
        spellCheck={false}
      />
      <TextField
        label="Agent URL"
        hint="Where the panel reaches the agent: https://host:port (the agent listens on 7443 unless told otherwise)."
        field="agentUrl"
        value={agentUrl}
        onValue={setAgentUrl}
        placeholder="https://web-1.example.com:7443"
        maxLength={300}
        code
      />
    </SecretDialog>
  );
}

/** "New enrollment token": for a pending node, or to enroll a node's agent again. */
export function NewTokenButton({ node }: { node: NodeInfo }) {
  const [token, setToken] = useState<EnrollmentToken | null>(null);
  const make = useApiMutation(() => newToken(node.id), {
    invalidate: [["node", node.id]],
    onSuccess: setToken,
  });
  return (
    <>
      <Button
        variant={node.state === "pending" ? "primary" : "secondary"}
        busy={make.isPending}
        onClick={() => make.mutate(undefined)}
      >
        <KeyRound className="h-4 w-4" aria-hidden="true" /> New enrollment token
      </Button>
      {make.error ? <ErrorAlert error={make.error} className="basis-full" /> : null}
      <SecretDialog
        open={token !== null}
        onOpenChange={(o) => {
          if (!o) setToken(null);
        }}
        title={`Enroll ${node.name}`}
        description={
          node.state === "pending"
            ? "The node waits for its agent."
            : "Enrolling again gives the agent a new certificate; from then on the panel accepts only that one."
        }
        secret={token ? <EnrollSteps token={token} /> : null}
      />
    </>
  );
}
