// Opens one S3 object in a worker: GetObject, the body read into one buffer
// under the size guard. The bytes are returned as stored (gzip or not): the
// scan path sniffs the gzip magic itself.

import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { ObjectError } from '../src/errors.js';
import { describeS3Error } from '../src/sources/s3-client.js';
import { MAX_OBJECT_BYTES, tooLarge } from './scan.js';

/** An ObjectError that also says how many requests were sent for the object. */
export type S3ObjectError = ObjectError & { attempts: number };

export interface OpenedS3Object {
  bytes: Uint8Array;
  /** GetObject requests sent, the SDK's retries included. */
  attempts: number;
}

/**
 * A body cut off mid-stream is not retried by the SDK (it retries until the
 * response headers): the whole GetObject is tried again this many times.
 */
const BODY_TRIES = 3;

/** Fetches an object's bytes, or throws an S3ObjectError (plain data) with a reason a person understands. */
export async function openS3Object(
  client: S3Client,
  ref: { bucket: string; key: string; size: number },
  maxBytes: number = MAX_OBJECT_BYTES,
): Promise<OpenedS3Object> {
  if (ref.size > maxBytes) throw tooLargeAfter(maxBytes, 0);
  let attempts = 0;
  for (let tryNo = 1; ; tryNo++) {
    let body: Readable;
    let length: number | undefined;
    try {
      const response = await client.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
      attempts += response.$metadata.attempts ?? 1;
      body = response.Body as Readable;
      length = response.ContentLength;
    } catch (err) {
      const failure = describeS3Error(err);
      attempts += failure.attempts;
      throw {
        code: 'unreadable',
        message: failure.reason.replace(/ after \d+ attempts$/, '') + (attempts > 1 ? ` after ${attempts} attempts` : ''),
        attempts,
      } satisfies S3ObjectError;
    }
    if (length !== undefined && length > maxBytes) {
      body.destroy();
      throw tooLargeAfter(maxBytes, attempts);
    }
    try {
      return { bytes: await readAll(body, maxBytes), attempts };
    } catch (err) {
      body.destroy();
      if (err === TOO_LARGE) throw tooLargeAfter(maxBytes, attempts);
      if (tryNo >= BODY_TRIES) {
        const code = (err as NodeJS.ErrnoException).code ?? (err as Error).name;
        throw {
          code: 'unreadable',
          message: `the download kept breaking off (${code}) after ${attempts} attempts`,
          attempts,
        } satisfies S3ObjectError;
      }
    }
  }
}

const TOO_LARGE = Symbol('too large');

async function readAll(body: Readable, maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    total += buf.length;
    if (total > maxBytes) throw TOO_LARGE;
    chunks.push(buf);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

function tooLargeAfter(maxBytes: number, attempts: number): S3ObjectError {
  return { ...tooLarge(maxBytes), attempts };
}
