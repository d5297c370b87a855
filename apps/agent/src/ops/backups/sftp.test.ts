// The SFTP destination against a real, chrooted OpenSSH sshd (startSftp): key login, a host
// key that does not match the pin refused before any credential is sent, a wrong password,
// an encrypted ed25519 key opened by its passphrase (in no process's argv or environment),
// a partial upload never visible under its name, a failing source and a failing rename
// leaving nothing behind, and what the chroot lets the user see. The 50 MB round trip with
// bounded memory is in destinations.test.ts with the other kinds.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { type DestinationSettings, destinationSettings } from "@steward/contracts/backups";
import { encryptedKey, type SftpServer, startSftp } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDestination, testDestination } from "./index.ts";

let sftp: SftpServer | null;
beforeAll(async () => {
  sftp = await startSftp();
});
afterAll(() => sftp?.stop());

const settings = (over: Record<string, unknown>): DestinationSettings => {
  const s = sftp as SftpServer;
  return destinationSettings.parse({
    kind: "sftp",
    host: s.host,
    port: s.port,
    username: s.username,
    hostKey: s.hostKey,
    path: "dest",
    ...over,
  });
};

/** The files in a directory of the login directory, as the machine sees them. */
const onDisk = (dir: string) => {
  const at = join((sftp as SftpServer).home, dir);
  return existsSync(at) ? readdirSync(at).sort() : [];
};

describe("an SFTP destination", () => {
  it("logs in with a private key alone and passes its test", async (t) => {
    if (!sftp) return t.skip();
    const destination = openDestination(settings({ privateKey: sftp.privateKey, path: "bykey" }));
    expect(await testDestination(destination)).toEqual({ ok: true });
    expect(onDisk("bykey")).toEqual([]);
  });

  it("logs in with an encrypted ed25519 key and its passphrase, which no process's argv or environment holds", async (t) => {
    if (!sftp) return t.skip();
    const passphrase = `pass'"\`;$(id) -- ${randomBytes(8).toString("hex")}`;
    const encrypted = encryptedKey(sftp.privateKey, passphrase);
    expect(encrypted).not.toBe(sftp.privateKey);
    const destination = openDestination(
      settings({ privateKey: encrypted, passphrase, path: "bypassphrase" }),
    );
    expect(await testDestination(destination)).toEqual({ ok: true });

    // while a put holds the session open: every process's argv and environment, read from /proc
    const source = new PassThrough();
    const put = destination.put(source, "held.tar.zst");
    source.write(randomBytes(64 * 1024));
    while (!onDisk("bypassphrase").some((f) => f.startsWith(".held.tar.zst.partial-")))
      await new Promise((resolve) => setTimeout(resolve, 20));
    const holders: string[] = [];
    for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p)))
      for (const what of ["cmdline", "environ"]) {
        const seen = (() => {
          try {
            return readFileSync(`/proc/${pid}/${what}`, "utf8");
          } catch {
            return ""; // gone meanwhile
          }
        })();
        if (seen.includes(passphrase)) holders.push(`${pid} ${what}`);
      }
    expect(holders).toEqual([]);
    source.end();
    expect((await put).bytes).toBe(64 * 1024);

    // without it, or with another, the key opens nothing: the server's refusal
    for (const over of [{}, { passphrase: "not-the-passphrase" }]) {
      const outcome = await testDestination(
        openDestination(settings({ privateKey: encrypted, ...over, path: "bypassphrase" })),
      );
      expect(outcome).toMatchObject({ ok: false, step: "write" });
      expect(outcome.message).toMatch(/Permission denied/);
    }
  });

  it("refuses a server whose host key is not the pinned one, with words, before logging in", async (t) => {
    if (!sftp) return t.skip();
    const destination = openDestination(
      settings({ password: sftp.password, hostKey: sftp.otherHostKey, path: "pinned" }),
    );
    const outcome = await testDestination(destination);
    expect(outcome).toMatchObject({ ok: false, step: "write" });
    expect(outcome.message).toContain(`does not match the pinned ${sftp.otherHostKey}`);
    expect(outcome.message).toContain(sftp.hostKey);
    expect(outcome.message).toContain("refusing to connect");
    expect(onDisk("pinned")).toEqual([]);
  });

  it("answers a wrong password as the server's refusal", async (t) => {
    if (!sftp) return t.skip();
    const destination = openDestination(settings({ password: "not-the-password" }));
    const outcome = await testDestination(destination);
    expect(outcome).toMatchObject({ ok: false, step: "write" });
    expect(outcome.message).toMatch(/Permission denied/);
  });

  it("never shows a partial upload under its name, in a list or on disk", async (t) => {
    if (!sftp) return t.skip();
    const destination = openDestination(settings({ password: sftp.password, path: "partial" }));
    const source = new PassThrough();
    const put = destination.put(source, "artifact.tar.zst");
    source.write(randomBytes(256 * 1024));
    while (!onDisk("partial").some((f) => f.startsWith(".artifact.tar.zst.partial-")))
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await destination.list()).toEqual([]);
    expect(onDisk("partial")).not.toContain("artifact.tar.zst");
    source.end(randomBytes(1000));
    expect((await put).bytes).toBe(256 * 1024 + 1000);
    expect(await destination.list()).toEqual([
      { name: "artifact.tar.zst", bytes: 256 * 1024 + 1000, modifiedAt: expect.any(Date) },
    ]);
    expect(onDisk("partial")).toEqual(["artifact.tar.zst"]);
  });

  it("fails a put whose source fails midway and leaves nothing behind", async (t) => {
    if (!sftp) return t.skip();
    const destination = openDestination(settings({ password: sftp.password, path: "broken" }));
    const source = Readable.from(
      (async function* () {
        yield randomBytes(512 * 1024);
        throw new Error("the dump exited with 2");
      })(),
    );
    await expect(destination.put(source, "broken.tar.zst")).rejects.toThrow(
      "the dump exited with 2",
    );
    expect(onDisk("broken")).toEqual([]);
  });

  it("fails a put the server accepted but could not complete (the rename) and removes the partial", async (t) => {
    if (!sftp) return t.skip();
    const destination = openDestination(settings({ password: sftp.password, path: "blocked" }));
    expect(await testDestination(destination)).toEqual({ ok: true });
    // a directory where the artifact would go: every byte is accepted, the rename fails
    mkdirSync(join(sftp.home, "blocked", "taken.tar.zst"));
    await expect(
      destination.put(Readable.from([randomBytes(300 * 1024)]), "taken.tar.zst"),
    ).rejects.toThrow(/SFTP rename/);
    expect(onDisk("blocked")).toEqual(["taken.tar.zst"]);
    expect(await destination.list()).toEqual([]);
  });

  it("keeps the user inside the chroot: the machine's files are not there, its root not writable", async (t) => {
    if (!sftp) return t.skip();
    const outside = openDestination(settings({ password: sftp.password, path: "/etc" }));
    expect(await outside.list()).toEqual([]);
    const root = openDestination(settings({ password: sftp.password, path: "/" }));
    const outcome = await testDestination(root);
    expect(outcome).toMatchObject({ ok: false, step: "write" });
    expect(outcome.message).toMatch(/Permission denied/);
    const absolute = openDestination(settings({ password: sftp.password, path: "/upload/abs" }));
    expect(await testDestination(absolute)).toEqual({ ok: true });
    expect(existsSync(join(sftp.home, "abs"))).toBe(true);
  });
});
