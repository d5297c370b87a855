// S3-compatible storage: a multipart upload straight from the stream (parts of 5 MiB, S3's
// least, two in flight, from three part buffers reused: s3-parts.ts), path-style and region
// options, checksums only when the operation requires them (s3rver and some S3 clones store
// aws-chunked framing as data otherwise). After the upload the object's size is read back: an
// upload the server accepted and then did not complete as sent fails the put.
// The AWS SDK (some 300 modules) loads with the first call of an S3 destination, not with the
// agent or a backup to another kind: opening the destination makes no client yet.
import { Readable } from "node:stream";
import type { S3Client } from "@aws-sdk/client-s3";
import type { DestinationSettingsOf } from "@steward/contracts/backups";
import { counted, type Destination, type StoredObject } from "./destination.ts";
import { uploadInParts } from "./s3-parts.ts";

const loadSdk = () => import("@aws-sdk/client-s3");

export function s3Destination(settings: DestinationSettingsOf<"s3">): Destination {
  let opened: Promise<{ sdk: Awaited<ReturnType<typeof loadSdk>>; client: S3Client }> | undefined;
  const open = () => {
    opened ??= loadSdk().then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        endpoint: settings.endpoint,
        region: settings.region,
        forcePathStyle: settings.forcePathStyle,
        credentials: {
          accessKeyId: settings.accessKeyId,
          secretAccessKey: settings.secretAccessKey,
        },
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
      }),
    }));
    return opened;
  };
  const prefix = settings.prefix.split("/").filter(Boolean).join("/");
  const key = (name: string) => (prefix ? `${prefix}/${name}` : name);
  const Bucket = settings.bucket;
  return {
    async put(stream, name) {
      const { sdk, client } = await open();
      const { body, result } = counted(stream);
      await uploadInParts({ sdk, client, Bucket, Key: key(name) }, body);
      const sent = result();
      const head = await client.send(new sdk.HeadObjectCommand({ Bucket, Key: key(name) }));
      if (head.ContentLength !== sent.bytes)
        throw new Error(
          `the upload of ${name} was accepted but the stored object has ${head.ContentLength} bytes, not ${sent.bytes}`,
        );
      return sent;
    },
    async get(name) {
      const { sdk, client } = await open();
      const answer = await client.send(new sdk.GetObjectCommand({ Bucket, Key: key(name) }));
      if (!(answer.Body instanceof Readable)) throw new Error(`no body for ${name}`);
      return answer.Body;
    },
    async list(namePrefix = "") {
      const { sdk, client } = await open();
      const found: StoredObject[] = [];
      let token: string | undefined;
      const start = prefix ? `${prefix}/` : "";
      do {
        const page = await client.send(
          new sdk.ListObjectsV2Command({
            Bucket,
            Prefix: start + namePrefix,
            ContinuationToken: token,
          }),
        );
        for (const item of page.Contents ?? []) {
          const name = (item.Key ?? "").slice(start.length);
          if (name && !name.includes("/") && !name.startsWith("."))
            found.push({ name, bytes: item.Size ?? 0, modifiedAt: item.LastModified ?? null });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return found;
    },
    async delete(name) {
      const { sdk, client } = await open();
      await client.send(new sdk.DeleteObjectCommand({ Bucket, Key: key(name) }));
    },
    async close() {
      if (opened) (await opened.catch(() => null))?.client.destroy();
    },
  };
}
