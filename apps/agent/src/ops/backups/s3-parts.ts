// A stream uploaded to S3 as a multipart upload from a few part buffers reused part after part:
// the stream's chunks are copied into the part being filled; a full part is sent (UploadPart)
// while the next one fills, at most QUEUE in flight; a buffer whose part was sent fills again.
// So the memory is (QUEUE + 1) parts whatever the size, and nothing is allocated per part
// (lib-storage's Upload concatenated every part into a new 5 MiB buffer and kept the one before
// alive through the remainder's view; peak RSS and CPU per GB measured in bench/README.md,
// "Under load: one hash…"). A stream of one part or less is one PutObject. A failing part or
// completion aborts the upload (AbortMultipartUpload, best effort) and fails the put.
import type { Readable } from "node:stream";
import type * as S3 from "@aws-sdk/client-s3";

/** S3's least part size (but the last) */
export const PART_SIZE = 5 * 1024 * 1024;
/** parts in flight while the next one fills */
const QUEUE = 2;

export interface PartTarget {
  sdk: typeof S3;
  client: S3.S3Client;
  Bucket: string;
  Key: string;
}

export async function uploadInParts(t: PartTarget, body: Readable): Promise<void> {
  const { sdk, client, Bucket, Key } = t;
  const spare: Buffer[] = [];
  let part: Buffer = Buffer.allocUnsafe(PART_SIZE);
  let filled = 0;
  let uploadId: string | undefined;
  let next = 1;
  const sent: { PartNumber: number; ETag: string }[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: Error | null = null;
  const send = (buffer: Buffer, length: number, PartNumber: number, UploadId: string) => {
    const request = client
      .send(
        new sdk.UploadPartCommand({
          Bucket,
          Key,
          UploadId,
          PartNumber,
          Body: buffer.subarray(0, length),
        }),
      )
      .then(
        (answer) => {
          if (!answer.ETag) throw new Error(`part ${PartNumber} was stored without an ETag`);
          sent.push({ PartNumber, ETag: answer.ETag });
          spare.push(buffer);
        },
        (error: Error) => {
          failure ??= error;
        },
      )
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };
  const flush = async () => {
    uploadId ??= (await client.send(new sdk.CreateMultipartUploadCommand({ Bucket, Key })))
      .UploadId;
    if (!uploadId) throw new Error("the server answered no UploadId");
    while (inFlight.size >= QUEUE) await Promise.race(inFlight);
    if (failure) throw failure;
    send(part, filled, next++, uploadId);
    part = spare.pop() ?? Buffer.allocUnsafe(PART_SIZE);
    filled = 0;
  };
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      for (let offset = 0; offset < chunk.length; ) {
        if (filled === PART_SIZE) await flush();
        const copied = chunk.copy(part, filled, offset);
        filled += copied;
        offset += copied;
      }
      if (failure) throw failure;
    }
    if (uploadId === undefined) {
      await client.send(new sdk.PutObjectCommand({ Bucket, Key, Body: part.subarray(0, filled) }));
      return;
    }
    if (filled > 0) await flush();
    await Promise.all(inFlight);
    if (failure) throw failure;
    sent.sort((a, b) => a.PartNumber - b.PartNumber);
    await client.send(
      new sdk.CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId: uploadId,
        MultipartUpload: { Parts: sent },
      }),
    );
  } catch (error) {
    body.destroy();
    await Promise.allSettled(inFlight);
    if (uploadId)
      await client
        .send(new sdk.AbortMultipartUploadCommand({ Bucket, Key, UploadId: uploadId }))
        .catch(() => undefined);
    throw error;
  }
}
