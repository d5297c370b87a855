// The real `steward` CLI as a child process: backup destinations. A node's directory is kept
// with --save-anyway (the node's agent cannot be asked here); an SFTP destination against a
// real chrooted sshd (startSftp) with a key file (one encrypted, its passphrase in
// STEWARD_BACKUP_PASSPHRASE) and the pinned host key; refused input names
// the option (or the variable holding the secret), and writes nothing.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encryptedKey, type SftpServer, startSftp } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, type Page, removeDataDirs } from "./testing/cli.ts";

let sftp: SftpServer | null;
let keys: string;
beforeAll(async () => {
  sftp = await startSftp();
  keys = mkdtempSync(join(tmpdir(), "stw-cli-sftp-"));
}, 60_000);
afterAll(async () => {
  await sftp?.stop();
  rmSync(keys, { recursive: true, force: true });
  removeDataDirs();
});

interface DestinationJson {
  id: string;
  name: string;
  kind: string;
  settings: Record<string, unknown>;
  lastTest: { ok: boolean; step: string | null; message: string | null } | null;
}

describe("steward backup destination", () => {
  it("adds a node's directory, lists, shows, tests and removes it; refuses bad input naming the option", async () => {
    const c = cliFor();
    // added, not enrolled: found by its name, its agent cannot be asked
    const node = (
      await c.json<{ id: string }>([
        "node",
        "add",
        "--name",
        "disk-1",
        "--agent-url",
        "https://disk-1.example.com:7443",
      ])
    ).id;
    const add = ["backup", "destination", "add", "--name", "disk", "--kind", "local", "--node"];
    const unknown = [...add, "nod_00000000000000000000000001", "--path", "/var/backups/steward"];
    add.push("disk-1");
    const made = await c.json<DestinationJson>([
      ...add,
      "--path",
      "/var/backups/steward",
      "--save-anyway",
    ]);
    expect(made).toMatchObject({
      name: "disk",
      kind: "local",
      settings: { nodeId: node, path: "/var/backups/steward" },
      lastTest: { ok: false, step: "node" },
    });
    const [list, shown, human] = await Promise.all([
      c.json<Page<DestinationJson>>(["backup", "destination", "list", "--sort", "name"]),
      c.json<DestinationJson>(["backup", "destination", "show", made.id]),
      c.ok(["backup", "destination", "test", made.id]),
    ]);
    expect(list.items.map((d) => d.id)).toEqual([made.id]);
    expect(shown.id).toBe(made.id);
    expect(human).toContain("failed (node): the node's agent could not be asked");

    const before = await c.snapshot([["backup", "destination", "list"]]);
    expect(await c.fails([...add, "--path", "/var/../etc"], 2)).toContain("--path");
    expect(await c.fails([...unknown, "--save-anyway"], 2)).toBe(
      "steward: --node: node nod_00000000000000000000000001 not found",
    );
    expect(
      await c.fails(["backup", "destination", "add", "--name", "x", "--kind", "dropbox"], 2),
    ).toContain("--kind");
    const s3 = [
      "backup",
      "destination",
      "add",
      "--name",
      "b",
      "--kind",
      "s3",
      "--endpoint",
      "https://s3.example.com",
    ];
    expect(
      await c.fails([...s3, "--bucket", "Bad_Bucket", "--access-key-id", "k"], 2, {
        env: { STEWARD_BACKUP_SECRET: "s" },
      }),
    ).toContain("--bucket");
    expect(await c.fails([...s3, "--bucket", "backups", "--access-key-id", "k"], 2)).toContain(
      "STEWARD_BACKUP_SECRET",
    );
    expect(await c.fails(["backup", "destination", "show", "a b"], 2)).toContain("<id>");
    expect(await c.snapshot([["backup", "destination", "list"]])).toEqual(before);

    expect(await c.json(["backup", "destination", "remove", made.id, "--yes"])).toEqual({
      removed: made.id,
    });
    expect((await c.auditActions("backup-destination.*")).sort()).toEqual([
      "backup-destination.create",
      "backup-destination.delete",
      "backup-destination.test",
    ]);
  }, 240_000);

  it("adds an SFTP destination with a key file and the pinned host key; a wrong pin is refused", async (t) => {
    if (!sftp) return t.skip();
    const c = cliFor(undefined, { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" });
    const keyFile = join(keys, "id_ed25519");
    writeFileSync(keyFile, sftp.privateKey, { mode: 0o600 });
    const add = (hostKey: string, keyPath = keyFile) => [
      "backup",
      "destination",
      "add",
      "--name",
      "offsite",
      "--kind",
      "sftp",
      "--host",
      (sftp as SftpServer).host,
      "--port",
      String((sftp as SftpServer).port),
      "--username",
      (sftp as SftpServer).username,
      "--host-key",
      hostKey,
      "--private-key-file",
      keyPath,
      "--path",
      "cli",
    ];
    const made = await c.json<DestinationJson>(add(sftp.hostKey));
    expect(made).toMatchObject({
      kind: "sftp",
      settings: { host: sftp.host, hostKey: sftp.hostKey, path: "cli" },
      lastTest: { ok: true, step: null },
    });
    expect(JSON.stringify(made)).not.toContain("PRIVATE KEY");
    expect(await c.ok(["backup", "destination", "test", made.id])).toContain(
      "ok: wrote, read back and deleted a probe object",
    );
    // an encrypted key: its passphrase from STEWARD_BACKUP_PASSPHRASE, sealed, never shown
    const passphrase = "it's; `a` -- passphrase";
    const encryptedFile = join(keys, "id_encrypted");
    writeFileSync(encryptedFile, encryptedKey(sftp.privateKey, passphrase), { mode: 0o600 });
    const locked = await c.json<DestinationJson & { secrets: string[] }>(
      add(sftp.hostKey, encryptedFile),
      { env: { STEWARD_BACKUP_PASSPHRASE: passphrase } },
    );
    expect(locked).toMatchObject({
      secrets: ["privateKey", "passphrase"],
      lastTest: { ok: true, step: null },
    });
    expect(JSON.stringify(locked)).not.toContain(passphrase);
    const before = await c.snapshot([["backup", "destination", "list"]]);
    for (const bad of ["two\nlines", "x".repeat(1025)])
      expect(
        await c.fails(add(sftp.hostKey, encryptedFile), 2, {
          env: { STEWARD_BACKUP_PASSPHRASE: bad },
        }),
      ).toMatch(/^steward: STEWARD_BACKUP_PASSPHRASE: /);
    const refused = await c.fails(add(sftp.otherHostKey), 1);
    expect(refused).toContain(`does not match the pinned ${sftp.otherHostKey}`);
    expect(await c.fails(add("SHA256:nope"), 2)).toContain("--host-key");
    expect(await c.fails(add(sftp.hostKey, join(keys, "missing")), 2)).toContain(
      "--private-key-file: cannot read",
    );
    const ftp = ["backup", "destination", "add", "--name", "f", "--kind", "ftp", "--host", "h"];
    expect(
      await c.fails([...ftp, "--username", "u", "--ca-file", keyFile], 2, {
        env: { STEWARD_BACKUP_SECRET: "s" },
      }),
    ).toContain("--ca-file");
    expect(await c.snapshot([["backup", "destination", "list"]])).toEqual(before);
  }, 120_000);
});
